/// Typed node parameters: what a node declares, and the values a pipeline file gives them.

/// The type of a node parameter, checked before any pixel moves.
public enum ParameterType: Sendable, Equatable, CustomStringConvertible {
    case int
    case float
    case bool
    case string
    /// One of a fixed set of words.
    case choice([String])
    /// A file that must exist when the pipeline is validated.
    case inputFile
    /// A file the node writes; its folder must exist.
    case outputFile
    /// A folder that must exist when the pipeline is validated.
    case inputFolder

    /// Whether values are paths (input file, output file, input folder): a relative one written in a pipeline file
    /// is relative to the file's folder (`PipelinePaths`).
    public var isPath: Bool {
        switch self {
        case .inputFile, .outputFile, .inputFolder: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .string: "string"
        case .choice(let words): words.joined(separator: "|")
        case .inputFile: "input file"
        case .outputFile: "output file"
        case .inputFolder: "input folder"
        }
    }
}

/// A checked parameter value.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .int(let v): String(v)
        case .float(let v): String(v)
        case .bool(let v): String(v)
        case .string(let v): v
        }
    }

    /// The value as a number, if it is one.
    public var number: Double? {
        switch self {
        case .int(let v): Double(v)
        case .float(let v): v
        default: nil
        }
    }
}

/// A parameter a node declares: name, type, default (nil = required), allowed numeric range, and documentation.
public struct ParameterSpec: Sendable {
    public let name: String
    public let type: ParameterType
    public let defaultValue: ParameterValue?
    public let range: ClosedRange<Double>?
    public let doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: ParameterValue? = nil,
                range: ClosedRange<Double>? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.range = range
        self.doc = doc
    }

    /// Converts a YAML scalar to this parameter's type, or says why it cannot.
    public func parse(_ text: String) -> Result<ParameterValue, ParameterProblem> {
        let value: ParameterValue
        switch type {
        case .int:
            guard let v = Int(text) else { return .failure(.init("expected an int, got '\(text)'")) }
            value = .int(v)
        case .float:
            guard let v = Double(text), v.isFinite else { return .failure(.init("expected a number, got '\(text)'")) }
            value = .float(v)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": value = .bool(true)
            case "false", "no", "off": value = .bool(false)
            default: return .failure(.init("expected true or false, got '\(text)'"))
            }
        case .string:
            value = .string(text)
        case .inputFile, .outputFile, .inputFolder:
            // Empty is "no file" for an optional path (whose default is empty), so `weights: $w` can pass `w: ""`.
            guard !text.isEmpty || defaultValue == .string("") else {
                return .failure(.init("expected a non-empty \(type)"))
            }
            value = .string(text)
        case .choice(let words):
            guard words.contains(text) else {
                return .failure(.init("expected one of \(words.joined(separator: ", ")), got '\(text)'"
                    + (Spelling.closest(to: text, in: words).map { " (did you mean '\($0)'?)" } ?? "")))
            }
            value = .string(text)
        }
        if let range, let n = value.number, !range.contains(n) {
            return .failure(.init("\(n) is out of range \(Self.format(range.lowerBound))...\(Self.format(range.upperBound))"))
        }
        return .success(value)
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// Why a parameter value was rejected.
public struct ParameterProblem: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// The checked parameters of one node instance, defaults filled in.
public struct ParameterValues: Sendable {
    public private(set) var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue]) { self.values = values }

    public subscript(_ name: String) -> ParameterValue? { values[name] }
}
