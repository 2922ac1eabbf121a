import Foundation

/// Checks a whole pipeline before any pixel moves: node types, keys, parameter types and ranges, files, edges, port
/// kinds and bands, cycles. Collects every problem and throws them together as `PipelineInvalid`.
public struct Validator {
    public let registry: NodeRegistry

    public init(registry: NodeRegistry) { self.registry = registry }

    /// Loads, resolves and validates a pipeline file.
    public func validate(path: String, _ settings: PipelineSettings = .init()) throws -> PipelineGraph {
        try validate(PipelineDocument.load(path: path), settings)
    }

    public func validate(_ document: PipelineDocument, _ settings: PipelineSettings = .init()) throws -> PipelineGraph {
        let checked = structure(ResolvedPipeline(document, settings, registry: registry), checkingFiles: true)
        var diagnostics = checked.diagnostics
        var warnings = checked.warnings

        // Outputs that would clobber inputs, each other, or each other's provenance sidecars.
        var inputFiles: [OutputPaths.FileUse] = [], outputFiles: [OutputPaths.FileUse] = []
        for node in checked.nodes {
            for spec in node.type.descriptor.parameters {
                guard case .string(let path)? = node.params[spec.name], !path.isEmpty else { continue }
                let use = OutputPaths.FileUse(node: node.entry.id, key: spec.name, path: path,
                                              location: node.entry.value(spec.name)?.location ?? node.entry.location)
                if spec.type == .inputFile { inputFiles.append(use) }
                if spec.type == .outputFile { outputFiles.append(use) }
            }
        }
        diagnostics += OutputPaths.check(inputs: inputFiles, outputs: outputFiles, pipelineFile: document.file)

        // Instantiate in order, inferring bands and checking band constraints.
        let byID = Dictionary(checked.nodes.map { ($0.entry.id, $0) }, uniquingKeysWith: { a, _ in a })
        var nodes: [PipelineGraph.Node] = []
        var bands: [String: [String: Int]] = [:]
        for id in checked.order {
            guard let node = byID[id], checked.sound.contains(id) else { continue }
            let descriptor = node.type.descriptor
            let instance: any StainNode
            do {
                instance = try node.type.make(node.params)
            } catch let error as NodeConfigurationError {
                let location = node.entry.value(error.key)?.location ?? node.entry.location
                diagnostics.append(Diagnostic(location, node: id, key: error.key, error.message, kind: error.kind))
                continue
            } catch {
                diagnostics.append(Diagnostic(node.entry.location, node: id, ErrorText.describe(error)))
                continue
            }
            var inputBands: [String: Int] = [:]
            for (port, edge) in node.inputs {
                guard let n = bands[edge.node]?[edge.port] else { continue }
                inputBands[port] = n
                if let accepted = descriptor.input(port)?.bands, !accepted.contains(n) {
                    diagnostics.append(Diagnostic(node.entry.value(port)?.location ?? node.entry.location,
                        node: id, key: port, "port type mismatch: '\(edge)' has \(n) band\(n == 1 ? "" : "s"), "
                        + "this port takes " + accepted.map(String.init).joined(separator: " or ")))
                }
            }
            for warning in instance.warnings {
                warnings.append(Diagnostic(node.entry.value(warning.key)?.location ?? node.entry.location,
                                           node: id, key: warning.key, warning.message))
            }
            let outputBands = instance.outputBands(inputBands: inputBands)
            bands[id] = outputBands
            nodes.append(.init(id: id, descriptor: descriptor, parameters: node.params, inputs: node.inputs,
                               instance: instance, location: node.entry.location, outputBands: outputBands))
        }
        guard diagnostics.isEmpty else { throw PipelineInvalid(diagnostics) }
        return PipelineGraph(name: document.name, file: document.file, nodes: nodes, warnings: warnings)
    }

    /// Checks a resolved pipeline against the node types' declarations only — types, keys, parameter values, edges,
    /// port kinds, cycles — without looking at any file or constructing any node, so `stain graph` can draw a
    /// pipeline whose inputs do not exist yet.
    public func sketch(_ pipeline: ResolvedPipeline) throws -> PipelineSketch {
        let checked = structure(pipeline, checkingFiles: false)
        guard checked.diagnostics.isEmpty else { throw PipelineInvalid(checked.diagnostics) }
        let byID = Dictionary(checked.nodes.map { ($0.entry.id, $0) }, uniquingKeysWith: { a, _ in a })
        return PipelineSketch(name: pipeline.document.name, nodes: checked.order.compactMap { id in
            byID[id].map { .init(id: id, descriptor: $0.type.descriptor, parameters: $0.params, inputs: $0.inputs) }
        })
    }

    /// A node whose type is known, with its checked parameters and edges.
    private typealias CheckedNode = (entry: PipelineDocument.NodeEntry, type: any StainNode.Type,
                                     params: ParameterValues, inputs: [String: PipelineGraph.Edge])

    /// What the checks that need no node instance found.
    private struct Structure {
        /// Nodes of known types, in file order.
        var nodes: [CheckedNode] = []
        /// Node ids in dependency order (nodes on a cycle left out).
        var order: [String] = []
        /// Nodes whose own settings are sound: they are constructed (weights opened, headers read) even when other
        /// nodes have problems, so one validation reports every problem at once.
        var sound: Set<String> = []
        var diagnostics: [Diagnostic] = []
        var warnings: [Diagnostic] = []
    }

    /// Per node: type, keys, parameters (and, if `checkingFiles`, the files they name); then edges and cycles.
    private func structure(_ resolved: ResolvedPipeline, checkingFiles: Bool) -> Structure {
        let entries = resolved.nodes
        var result = Structure(diagnostics: resolved.diagnostics)
        let types = Dictionary(entries.compactMap { e in e.value("type").map { (e.id, $0.text) } },
                               uniquingKeysWith: { a, _ in a })
        for entry in entries {
            let before = result.diagnostics.count
            if let checked = check(entry, types: types, skipping: resolved.unresolved, checkingFiles: checkingFiles,
                                   &result.diagnostics, &result.warnings) {
                result.nodes.append(checked)
                let unresolved = resolved.unresolved.contains { $0.hasPrefix(entry.id + ".") }
                if result.diagnostics.count == before && !unresolved { result.sound.insert(entry.id) }
            }
        }

        // Edges: targets exist, ports exist, kinds match.
        let byID = Dictionary(result.nodes.map { ($0.entry.id, $0) }, uniquingKeysWith: { a, _ in a })
        let allIDs = entries.map(\.id)
        for node in result.nodes {
            for (port, edge) in node.inputs.sorted(by: { $0.key < $1.key }) {
                let location = node.entry.value(port)?.location ?? node.entry.location
                guard let source = byID[edge.node] else {
                    if !allIDs.contains(edge.node) {
                        result.diagnostics.append(Diagnostic(location, node: node.entry.id, key: port,
                            "no node named '\(edge.node)'" + (Spelling.closest(to: edge.node, in: allIDs)
                                .map { " (did you mean '\($0)'?)" } ?? "")))
                    }
                    continue
                }
                guard let output = source.type.descriptor.output(edge.port) else {
                    result.diagnostics.append(Diagnostic(location, node: node.entry.id, key: port,
                        "node '\(edge.node)' (\(source.type.descriptor.name)) has no output '\(edge.port)'; outputs: "
                        + source.type.descriptor.outputs.map(\.name).joined(separator: ", ")))
                    continue
                }
                let accepted = node.type.descriptor.input(port)?.kinds ?? []
                if !accepted.contains(output.kind) {
                    result.diagnostics.append(Diagnostic(location, node: node.entry.id, key: port,
                        "port type mismatch: '\(edge)' gives \(output.kind.rawValue), this port takes "
                        + accepted.map(\.rawValue).joined(separator: " or ")))
                }
            }
        }

        // Cycles and order.
        let order = Self.topologicalOrder(result.nodes.map {
            ($0.entry.id, $0.inputs.values.map(\.node).filter { byID[$0] != nil })
        })
        if let cycle = order.cycle, let first = cycle.first.flatMap({ byID[$0]?.entry }) {
            result.diagnostics.append(Diagnostic(first.location, node: first.id,
                                                 "cycle: " + (cycle + [first.id]).joined(separator: " -> ")))
        }
        result.order = order.order
        return result
    }

    /// Checks one node's type and keys; returns nil if the type is unknown.
    private func check(_ entry: PipelineDocument.NodeEntry, types: [String: String], skipping unresolved: Set<String>,
                       checkingFiles: Bool, _ diagnostics: inout [Diagnostic], _ warnings: inout [Diagnostic])
        -> CheckedNode? {
        if entry.removes {
            diagnostics.append(Diagnostic(entry.location, node: entry.id, "a node needs settings ('~' removes nodes only in variants)"))
            return nil
        }
        guard let typeSetting = entry.value("type") else {
            diagnostics.append(Diagnostic(entry.location, node: entry.id, key: "type", "missing 'type'"))
            return nil
        }
        guard let type = registry[typeSetting.text] else {
            diagnostics.append(Diagnostic(typeSetting.location, node: entry.id, key: "type",
                "unknown node type '\(typeSetting.text)'" + (Spelling.closest(to: typeSetting.text, in: registry.names)
                    .map { " (did you mean '\($0)'?)" } ?? "") + "; `stain nodes` lists them"))
            return nil
        }
        let descriptor = type.descriptor
        var values: [String: ParameterValue] = [:]
        var inputs: [String: PipelineGraph.Edge] = [:]
        for (given, setting) in entry.settings where given != "type" && !unresolved.contains(entry.id + "." + given) {
            var key = given
            if descriptor.input(key) == nil, let renamed = descriptor.renamedInput(key) {
                warnings.append(Diagnostic(setting.location, node: entry.id, key: key,
                    "input '\(key)' of \(descriptor.name) is now called '\(renamed.name)'; the old name will stop working in the next release"))
                key = renamed.name
            }
            if descriptor.input(key) != nil {
                let parts = setting.text.split(separator: ".", maxSplits: 1).map(String.init)
                guard let source = parts.first, !source.isEmpty else {
                    diagnostics.append(Diagnostic(setting.location, node: entry.id, key: key, "expected a node id"))
                    continue
                }
                if parts.count == 2 {
                    inputs[key] = .init(node: source, port: parts[1])
                } else if let sourceType = registry[types[source] ?? ""], sourceType.descriptor.outputs.count > 1 {
                    diagnostics.append(Diagnostic(setting.location, node: entry.id, key: key,
                        "node '\(source)' has several outputs; write '\(source).PORT' with PORT one of "
                        + sourceType.descriptor.outputs.map(\.name).joined(separator: ", ")))
                } else {
                    let port = registry[types[source] ?? ""]?.descriptor.outputs.first?.name ?? "out"
                    inputs[key] = .init(node: source, port: port)
                }
            } else if let spec = descriptor.parameter(key) {
                switch spec.parse(setting.text) {
                case .success(let value):
                    if checkingFiles, let problem = fileProblem(spec, value) {
                        diagnostics.append(Diagnostic(setting.location, node: entry.id, key: key, problem))
                    }
                    values[key] = value
                case .failure(let problem):
                    diagnostics.append(Diagnostic(setting.location, node: entry.id, key: key, problem.message))
                }
            } else {
                diagnostics.append(Diagnostic(setting.location, node: entry.id, key: key,
                    "unknown key for \(descriptor.name)" + (Spelling.closest(to: key, in: descriptor.keys)
                        .map { " (did you mean '\($0)'?)" } ?? "") + "; it takes " + descriptor.keys.joined(separator: ", ")))
            }
        }
        for spec in descriptor.parameters where values[spec.name] == nil && !unresolved.contains(entry.id + "." + spec.name) {
            if let value = spec.defaultValue { values[spec.name] = value } else if entry.value(spec.name) == nil {
                diagnostics.append(Diagnostic(entry.location, node: entry.id, key: spec.name,
                                              "missing required parameter (\(spec.type)): \(spec.doc)"))
            }
        }
        for port in descriptor.inputs where !port.optional && inputs[port.name] == nil
            && ([port.name] + port.formerNames).allSatisfy({ entry.value($0) == nil }) {
            diagnostics.append(Diagnostic(entry.location, node: entry.id, key: port.name,
                                          "missing input: connect it to a node id (\(port.doc))"))
        }
        return (entry, type, ParameterValues(values), inputs)
    }

    private func fileProblem(_ spec: ParameterSpec, _ value: ParameterValue) -> String? {
        // An empty path is an optional file left out.
        guard case .string(let path) = value, !path.isEmpty else { return nil }
        switch spec.type {
        case .inputFile:
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "missing file '\(path)'" }
            if isDirectory.boolValue { return "'\(path)' is a folder, not a file" }
        case .inputFolder:
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "missing folder '\(path)'" }
            if !isDirectory.boolValue { return "'\(path)' is a file, not a folder" }
        case .outputFile:
            // Missing folders are created when the run writes; the nearest existing one must be a writable folder.
            var folderURL = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
            var isDirectory: ObjCBool = false
            while !FileManager.default.fileExists(atPath: folderURL.path, isDirectory: &isDirectory) && folderURL.path != "/" {
                folderURL.deleteLastPathComponent()
            }
            let folder = folderURL.path
            if !isDirectory.boolValue { return "cannot write '\(path)': '\(folder)' is a file, not a folder" }
            if !FileManager.default.isWritableFile(atPath: folder) { return "cannot write '\(path)': folder '\(folder)' is not writable" }
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return "'\(path)' is a folder"
            }
        default: break
        }
        return nil
    }

    /// Kahn's algorithm; on a cycle, returns one cycle's node ids.
    static func topologicalOrder(_ nodes: [(id: String, dependencies: [String])]) -> (order: [String], cycle: [String]?) {
        var remaining = Dictionary(nodes.map { ($0.id, Set($0.dependencies)) }, uniquingKeysWith: { a, _ in a })
        var order: [String] = []
        var ready = nodes.map(\.id).filter { remaining[$0]?.isEmpty == true }
        while !ready.isEmpty {
            let id = ready.removeFirst()
            order.append(id)
            remaining[id] = nil
            for node in nodes where remaining[node.id]?.remove(id) != nil {
                if remaining[node.id]?.isEmpty == true { ready.append(node.id) }
            }
        }
        // Walk dependencies from a stuck node until one repeats.
        guard var current = nodes.map(\.id).first(where: { remaining[$0] != nil }) else { return (order, nil) }
        var path: [String] = []
        while !path.contains(current), let next = remaining[current]?.sorted().first {
            path.append(current)
            current = next
        }
        return (order, Array(path[(path.firstIndex(of: current) ?? 0)...]))
    }
}
