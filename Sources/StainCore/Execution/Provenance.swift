import Foundation

/// The record written next to every output (`OUTPUT.provenance.json`): what made it, so a result can be traced
/// and reproduced — the pipeline file's hash, the command-line settings, every node's type, version, parameters and
/// edges, hashes of the input files and weights it read, and the software versions.
public struct Provenance: Sendable {
    public let graph: PipelineGraph
    public let settings: PipelineSettings
    public let versions: [String: String]
    /// The command that ran (program and arguments), recorded as given.
    public let commandLine: [String]

    public init(graph: PipelineGraph, settings: PipelineSettings, versions: [String: String],
                commandLine: [String] = []) {
        self.graph = graph
        self.settings = settings
        self.versions = versions
        self.commandLine = commandLine
    }

    /// The sidecar path for an output file.
    public static func sidecar(for output: String) -> String { output + ".provenance.json" }

    /// JSON describing the run that wrote `output`, with the SHA-256 of the file it describes (so a sidecar that
    /// no longer matches its output is recognisable).
    public func json(output: String, sha256: String? = nil) throws -> Data {
        var nodes: [[String: Any]] = []
        for node in graph.nodes {
            var parameters: [String: Any] = [:]
            var files: [String: String] = [:]
            let unused = Set(node.instance.unusedParameters)
            for spec in node.descriptor.parameters where !unused.contains(spec.name) {
                guard let value = node.parameters[spec.name] else { continue }
                switch value {
                case .int(let v): parameters[spec.name] = v
                case .float(let v): parameters[spec.name] = v
                case .bool(let v): parameters[spec.name] = v
                case .string(let v): parameters[spec.name] = v
                }
                // Input files are identified by content: a hash up to 64 MiB (larger slides: size and date).
                if spec.type == .inputFile, case .string(let path) = value, !path.isEmpty {
                    files[spec.name] = Self.identity(path)
                }
            }
            var entry: [String: Any] = ["id": node.id, "type": node.descriptor.name,
                                        "version": node.descriptor.version, "parameters": parameters,
                                        "inputs": node.inputs.mapValues(\.description)]
            if !files.isEmpty { entry["files"] = files }
            if let tiles = (node.instance as? TileCounting)?.tileCounts {
                entry["tiles"] = ["computed": tiles.computed, "skipped": tiles.skipped]
            }
            nodes.append(entry)
        }
        let pipelineHash = (try? SHA256.hex(file: graph.file)) ?? "unreadable"
        let object: [String: Any] = [
            "output": output,
            "output-sha256": sha256.map { $0 as Any } ?? NSNull(),
            "command-line": commandLine,
            "created": ISO8601DateFormatter().string(from: Date()),
            "pipeline": ["name": graph.name, "file": graph.file, "sha256": pipelineHash],
            "settings": ["set": settings.overrides, "variant": settings.variant.map { $0 as Any } ?? NSNull()],
            "nodes": nodes,
            "versions": versions,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    private static func identity(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        if size >= 0 && size <= 64 << 20, let hash = try? SHA256.hex(file: path) { return "sha256:" + hash }
        let date = (attributes?[.modificationDate] as? Date).map { ISO8601DateFormatter().string(from: $0) } ?? "?"
        return "size:\(size) modified:\(date)"
    }
}
