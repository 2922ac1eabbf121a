/// A pipeline after its variant, the `--set` overrides and `$name` substitution, with relative paths in file
/// parameters resolved (`PipelinePaths`). It is what validation checks, and all that `stain describe` and
/// `stain graph` need: no file it names is opened, so a pipeline can be shown before its inputs exist.
public struct ResolvedPipeline: Sendable {
    /// A pipeline parameter with its final value: the file's, or a `--set` one (`value.origin` says which).
    public struct Param: Sendable {
        public let name: String
        public let value: PipelineDocument.Setting
        /// The node settings whose value uses it, as `node.key`, in node order.
        public let usedBy: [String]
    }

    public let document: PipelineDocument
    /// The variant applied, if any.
    public let variant: String?
    /// The parameters in file order.
    public let params: [Param]
    /// Every node with its settings final, in file order (nodes a variant adds come last). A setting's `origin` is
    /// where its value came from: for `$name`, the parameter's.
    public let nodes: [PipelineDocument.NodeEntry]
    /// Problems with the variant, the `--set` overrides or `$name` references; nothing else is checked here.
    public let diagnostics: [Diagnostic]
    /// Settings whose substitution failed ("node.key"), so validation does not report them a second time.
    let unresolved: Set<String>

    public init(_ document: PipelineDocument, _ settings: PipelineSettings = .init(), registry: NodeRegistry) {
        var resolver = Resolver(registry: registry)
        let (params, nodes) = resolver.resolve(document, settings)
        self.document = document
        self.variant = settings.variant
        self.params = params.map { Param(name: $0.name, value: $0.value, usedBy: resolver.usage[$0.name] ?? []) }
        self.nodes = nodes
        self.diagnostics = resolver.diagnostics
        self.unresolved = resolver.unresolved
    }
}

/// Does the work of `ResolvedPipeline.init`, collecting diagnostics.
private struct Resolver {
    typealias Setting = PipelineDocument.Setting

    let registry: NodeRegistry
    var diagnostics: [Diagnostic] = []
    var unresolved: Set<String> = []
    /// Parameter name → the settings (`node.key`) that use it.
    var usage: [String: [String]] = [:]

    init(registry: NodeRegistry) { self.registry = registry }

    mutating func resolve(_ document: PipelineDocument, _ settings: PipelineSettings)
        -> (params: [(name: String, value: Setting)], nodes: [PipelineDocument.NodeEntry]) {
        var nodes = document.nodes
        if let name = settings.variant {
            if let variant = document.variants.first(where: { $0.name == name }) {
                for change in variant.nodes { apply(change, to: &nodes) }
            } else {
                let names = document.variants.map(\.name)
                diagnostics.append(Diagnostic(.commandLine("--variant \(name)"), "unknown variant '\(name)'; "
                    + (names.isEmpty ? "this pipeline has no variants" : "known: \(names.joined(separator: ", "))")))
            }
        }
        var params = document.params
        for override in settings.overrides {
            let location = SourceLocation.commandLine("--set \(override)")
            guard let eq = override.firstIndex(of: "="), eq != override.startIndex else {
                diagnostics.append(Diagnostic(location, "expected --set name=value or --set node.key=value"))
                continue
            }
            let target = String(override[..<eq]), text = String(override[override.index(after: eq)...])
            let value = Setting(text, location, origin: .commandLine)
            if let dot = target.firstIndex(of: ".") {
                let id = String(target[..<dot]), key = String(target[target.index(after: dot)...])
                guard nodes.contains(where: { $0.id == id }) else {
                    diagnostics.append(Diagnostic(location, node: id, "no such node" + suggestion(id, nodes.map(\.id))))
                    continue
                }
                var change = PipelineDocument.NodeEntry(id: id, location: location, settings: [])
                change.set(key, value)
                apply(change, to: &nodes)
            } else {
                guard let i = params.firstIndex(where: { $0.name == target }) else {
                    diagnostics.append(Diagnostic(location, key: target, "no such pipeline parameter"
                        + suggestion(target, params.map(\.name))))
                    continue
                }
                params[i].value = value
            }
        }
        let lookup = Dictionary(params.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for n in nodes.indices {
            for s in nodes[n].settings.indices {
                let setting = nodes[n].settings[s]
                let before = diagnostics.count
                let (text, origin) = substitute(setting.value, lookup, node: nodes[n].id, key: setting.key)
                nodes[n].settings[s].value.text = text
                nodes[n].settings[s].value.origin = origin
                if diagnostics.count > before { unresolved.insert(nodes[n].id + "." + setting.key) }
            }
        }
        // Paths last, once `type` is final: only the node type tells which keys are paths.
        for n in nodes.indices {
            guard let type = nodes[n].value("type").flatMap({ registry[$0.text] }) else { continue }
            for s in nodes[n].settings.indices {
                let setting = nodes[n].settings[s]
                guard setting.value.origin == .file, type.descriptor.parameter(setting.key)?.type.isPath == true,
                      !unresolved.contains(nodes[n].id + "." + setting.key) else { continue }
                nodes[n].settings[s].value.text = PipelinePaths.resolve(setting.value.text, against: document.folder)
            }
        }
        return (params, nodes)
    }

    /// Merges a node block into the node list. A block that changes `type` keeps only the old keys the new type
    /// declares, so `{z: {type: zscore-normalizer}}` swaps the node and keeps its input edges.
    private mutating func apply(_ change: PipelineDocument.NodeEntry, to nodes: inout [PipelineDocument.NodeEntry]) {
        guard let i = nodes.firstIndex(where: { $0.id == change.id }) else {
            if change.removes {
                diagnostics.append(Diagnostic(change.location, node: change.id, "cannot remove: no such node"))
            } else {
                nodes.append(change)
            }
            return
        }
        if change.removes {
            nodes.remove(at: i)
            return
        }
        if let newType = change.value("type"), newType.text != nodes[i].value("type")?.text,
           let type = registry[newType.text] {
            let keep = Set(type.descriptor.keys)
            nodes[i].settings.removeAll { $0.key != "type" && !keep.contains($0.key) }
        }
        for (key, value) in change.settings {
            if value.removes { nodes[i].settings.removeAll { $0.key == key } } else { nodes[i].set(key, value) }
        }
    }

    /// The setting's text with `$name` (whole value) and `${name}` (inside text) replaced by pipeline parameters,
    /// and the origin of the result: that of its first non-empty piece, because that piece makes a path relative or
    /// absolute, so its origin decides what the path is relative to (`${dir}/x.png` follows `dir`, and
    /// `out/${name}.png` the setting itself).
    private mutating func substitute(_ setting: Setting, _ params: [String: Setting],
                                     node: String, key: String) -> (text: String, origin: Setting.Origin) {
        let text = setting.text
        guard text.contains("$") else { return (text, setting.origin) }
        if text.hasPrefix("$"), !text.hasPrefix("${") {
            let name = String(text.dropFirst())
            if let value = params[name] {
                use(name, by: node + "." + key)
                return (value.text, value.origin)
            }
            diagnostics.append(Diagnostic(setting.location, node: node, key: key,
                                          "unknown parameter '$\(name)'" + suggestion(name, Array(params.keys))))
            return (text, setting.origin)
        }
        var result = ""
        var origin: Setting.Origin?
        func append(_ piece: Substring, from pieceOrigin: Setting.Origin) {
            if origin == nil && !piece.isEmpty { origin = pieceOrigin }
            result += piece
        }
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            append(rest[..<open.lowerBound], from: setting.origin)
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                diagnostics.append(Diagnostic(setting.location, node: node, key: key, "unclosed '${'"))
                return (text, setting.origin)
            }
            let name = String(rest[open.upperBound..<close])
            if let value = params[name] {
                use(name, by: node + "." + key)
                append(Substring(value.text), from: value.origin)
            } else {
                diagnostics.append(Diagnostic(setting.location, node: node, key: key,
                                              "unknown parameter '${\(name)}'" + suggestion(name, Array(params.keys))))
            }
            rest = rest[rest.index(after: close)...]
        }
        append(rest, from: setting.origin)
        return (result, origin ?? setting.origin)
    }

    private mutating func use(_ name: String, by setting: String) {
        if usage[name]?.last != setting { usage[name, default: []].append(setting) }
    }

    private func suggestion(_ word: String, _ candidates: [String]) -> String {
        Spelling.closest(to: word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
