import Foundation
import Yams

/// A pipeline file as written: every scalar keeps its file position for error messages.
public struct PipelineDocument: Sendable {
    /// A scalar value and where it was written.
    public struct Setting: Sendable {
        /// Who gave a value, which decides what a relative path in it is relative to (docs/pipeline-files.md).
        public enum Origin: Sendable, Equatable {
            /// Written in the pipeline file: relative to the file's folder, so the file works from any folder.
            case file
            /// Given with `--set`: relative to the current folder, like any other command-line path.
            case commandLine
        }

        public var text: String
        public var location: SourceLocation
        /// A YAML null (`~`) in a variant or override: remove this key.
        public var removes: Bool
        public var origin: Origin
        public init(_ text: String, _ location: SourceLocation, removes: Bool = false, origin: Origin = .file) {
            self.text = text
            self.location = location
            self.removes = removes
            self.origin = origin
        }
    }

    /// One entry under `nodes:` (or a node block of a variant): ordered key → setting.
    public struct NodeEntry: Sendable {
        public var id: String
        public var location: SourceLocation
        public var settings: [(key: String, value: Setting)]
        /// A YAML null (`id: ~`) in a variant: remove this node.
        public var removes = false

        public func value(_ key: String) -> Setting? { settings.first { $0.key == key }?.value }

        public mutating func set(_ key: String, _ value: Setting) {
            if let i = settings.firstIndex(where: { $0.key == key }) { settings[i].value = value }
            else { settings.append((key, value)) }
        }
    }

    public var file: String
    public var name: String
    public var description: String?
    public var params: [(name: String, value: Setting)]
    public var nodes: [NodeEntry]
    public var variants: [(name: String, location: SourceLocation, nodes: [NodeEntry])]

    /// The folder relative paths written in the file are relative to: the file's own folder, as given ("" for a
    /// file named without a folder, i.e. the current folder).
    public var folder: String { (file as NSString).deletingLastPathComponent }

    /// Reads and parses a pipeline file; problems are reported as diagnostics, all at once where possible.
    public static func load(path: String, limits: DocumentLimits = .standard) throws -> PipelineDocument {
        // Refuse an oversized file before reading it into memory.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.intValue > limits.maxBytes {
            throw PipelineInvalid([Diagnostic(SourceLocation(file: path, line: 1, column: 1),
                "the pipeline file is \(size.intValue) bytes; the limit is \(limits.maxBytes) (\(limits.maxBytes >> 10) KiB)")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineInvalid([Diagnostic(SourceLocation(file: path, line: 0, column: 0),
                                              "cannot read the pipeline file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineInvalid([Diagnostic(SourceLocation(file: path, line: 0, column: 0),
                                              "the pipeline file is not UTF-8 text")])
        }
        return try parse(text, file: path, limits: limits)
    }

    /// Parses pipeline text; `file` names it in messages, and its folder is where relative paths in it lead. The text
    /// is first checked against `limits`, so the YAML parser never sees nesting, aliases or sizes that could exhaust
    /// its stack or memory.
    public static func parse(_ text: String, file: String, limits: DocumentLimits = .standard) throws -> PipelineDocument {
        if let problem = limits.check(text, file: file) { throw PipelineInvalid([problem]) }
        var parser = Parser(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw PipelineInvalid([parser.yamlDiagnostic(error)])
        }
        let document = parser.document(root)
        if !parser.diagnostics.isEmpty { throw PipelineInvalid(parser.diagnostics) }
        if document.nodes.count > limits.maxNodes {
            throw PipelineInvalid([Diagnostic(document.nodes[limits.maxNodes].location,
                "more than \(limits.maxNodes) nodes; a pipeline may have at most \(limits.maxNodes)")])
        }
        return document
    }
}

/// Turns the Yams node tree into a `PipelineDocument`, collecting diagnostics.
private struct Parser {
    let file: String
    var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    mutating func fail(_ node: Node, nodeID: String? = nil, key: String? = nil, _ message: String) {
        diagnostics.append(Diagnostic(location(node), node: nodeID, key: key, message))
    }

    func yamlDiagnostic(_ error: Error) -> Diagnostic {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
                return Diagnostic(SourceLocation(file: file, line: mark.line, column: mark.column),
                                  "YAML syntax error: \(problem)")
            default: break
            }
        }
        return Diagnostic(SourceLocation(file: file, line: 0, column: 0), "YAML syntax error: \(error)")
    }

    mutating func document(_ root: Node?) -> PipelineDocument {
        var document = PipelineDocument(file: file, name: "", description: nil, params: [], nodes: [], variants: [])
        guard let root, case .mapping(let top) = root else {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: 1, column: 1),
                                          "a pipeline file is a mapping with keys pipeline, params, nodes, variants"))
            return document
        }
        var sawNodes = false
        var sawName = false
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "pipeline":
                sawName = true
                if let name = scalar(value) { document.name = name } else { fail(value, key: key, "expected a name") }
            case "description":
                document.description = scalar(value)
            case "params":
                document.params = settings(value, nodeID: nil).map { ($0.key, $0.value) }
            case "nodes":
                sawNodes = true
                document.nodes = nodeEntries(value)
                if document.nodes.isEmpty && diagnostics.isEmpty { fail(value, key: key, "a pipeline needs at least one node") }
            case "variants":
                guard case .mapping(let variants) = value else { fail(value, key: key, "expected a mapping of variant names"); continue }
                for (nameNode, body) in variants {
                    document.variants.append((nameNode.string ?? "", location(nameNode), nodeEntries(body)))
                }
            default:
                let suggestion = Spelling.closest(to: key, in: ["pipeline", "description", "params", "nodes", "variants"])
                fail(keyNode, key: key, "unknown top-level key" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""))
            }
        }
        if !sawName { fail(root, key: "pipeline", "missing 'pipeline: NAME'") }
        if !sawNodes { fail(root, key: "nodes", "missing 'nodes:'") }
        return document
    }

    /// `~`, `null` or an empty value.
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["~", "null", "Null", "NULL", ""].contains(s.string)
    }

    func scalar(_ node: Node) -> String? {
        if case .scalar(let s) = node { return s.string }
        return nil
    }

    mutating func nodeEntries(_ node: Node) -> [PipelineDocument.NodeEntry] {
        guard case .mapping(let mapping) = node else {
            fail(node, "expected a mapping of node ids to node settings")
            return []
        }
        var entries: [PipelineDocument.NodeEntry] = []
        for (idNode, body) in mapping {
            let id = idNode.string ?? ""
            if id.isEmpty || id.contains(".") || id.hasPrefix("$") {
                fail(idNode, nodeID: id, "a node id is a plain word (no '.', no '$')")
                continue
            }
            if entries.contains(where: { $0.id == id }) {
                fail(idNode, nodeID: id, "duplicate node id")
                continue
            }
            if isNull(body) {
                entries.append(.init(id: id, location: location(idNode), settings: [], removes: true))
                continue
            }
            entries.append(.init(id: id, location: location(idNode), settings: settings(body, nodeID: id)))
        }
        return entries
    }

    mutating func settings(_ node: Node, nodeID: String?) -> [(key: String, value: PipelineDocument.Setting)] {
        guard case .mapping(let mapping) = node else {
            fail(node, nodeID: nodeID, "expected a mapping of keys to values")
            return []
        }
        var result: [(key: String, value: PipelineDocument.Setting)] = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            if result.contains(where: { $0.key == key }) {
                fail(keyNode, nodeID: nodeID, key: key, "duplicate key")
                continue
            }
            if isNull(value) {
                result.append((key, .init("", location(value), removes: true)))
                continue
            }
            guard let text = scalar(value) else {
                fail(value, nodeID: nodeID, key: key, "expected a single value (not a list or mapping)")
                continue
            }
            result.append((key, .init(text, location(value))))
        }
        return result
    }
}
