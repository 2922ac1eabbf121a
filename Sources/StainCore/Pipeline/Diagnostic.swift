/// Validation errors that name the file, line, column, node and key.

/// Where something was written: a file position, or the command line.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A setting given on the command line (`--set`, `--variant`).
    public static func commandLine(_ argument: String) -> SourceLocation {
        SourceLocation(file: "command line '\(argument)'", line: 0, column: 0)
    }

    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// One validation error: `file:line:col: node 'id', key 'k': message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// What the problem is about, which decides the exit code: the pipeline as written (2), or an input file
    /// that cannot be read as the pipeline needs it — damaged, unsupported pixel format, too large (3).
    public enum Kind: Sendable, Equatable {
        case pipeline, unreadableInput
    }

    public let location: SourceLocation
    public let node: String?
    public let key: String?
    public let message: String
    public let kind: Kind

    public init(_ location: SourceLocation, node: String? = nil, key: String? = nil, _ message: String,
                kind: Kind = .pipeline) {
        self.location = location
        self.node = node
        self.key = key
        self.message = message
        self.kind = kind
    }

    public var description: String {
        var subject: [String] = []
        if let node { subject.append("node '\(node)'") }
        if let key { subject.append("key '\(key)'") }
        let prefix = subject.isEmpty ? "" : subject.joined(separator: ", ") + ": "
        return "\(location): \(prefix)\(message)"
    }
}

/// A pipeline that failed validation, with every problem found.
public struct PipelineInvalid: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    /// True when every problem is an unreadable input file (exit 3); any problem with the pipeline itself wins (2).
    public var isUnreadableInput: Bool {
        !diagnostics.isEmpty && diagnostics.allSatisfy { $0.kind == .unreadableInput }
    }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
