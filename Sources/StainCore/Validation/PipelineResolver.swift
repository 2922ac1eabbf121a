/// Applies a variant, `--set` overrides and `$param` substitution to a pipeline document.
struct PipelineResolver {
    let registry: NodeRegistry
    var diagnostics: [Diagnostic] = []
    /// Settings whose substitution failed ("node.key"), so they are not checked again with a second message.
    var unresolved: Set<String> = []

    init(registry: NodeRegistry) { self.registry = registry }

    /// The node entries with every setting final, in file order.
    mutating func resolve(_ document: PipelineDocument, _ settings: PipelineSettings) -> [PipelineDocument.NodeEntry] {
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
        var params = Dictionary(document.params.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for override in settings.overrides {
            let location = SourceLocation.commandLine("--set \(override)")
            guard let eq = override.firstIndex(of: "="), eq != override.startIndex else {
                diagnostics.append(Diagnostic(location, "expected --set name=value or --set node.key=value"))
                continue
            }
            let target = String(override[..<eq]), value = String(override[override.index(after: eq)...])
            if let dot = target.firstIndex(of: ".") {
                let id = String(target[..<dot]), key = String(target[target.index(after: dot)...])
                guard nodes.contains(where: { $0.id == id }) else {
                    diagnostics.append(Diagnostic(location, node: id, "no such node"
                        + suggestion(id, nodes.map(\.id))))
                    continue
                }
                var change = PipelineDocument.NodeEntry(id: id, location: location, settings: [])
                change.set(key, .init(value, location))
                apply(change, to: &nodes)
            } else {
                guard params[target] != nil else {
                    diagnostics.append(Diagnostic(location, key: target, "no such pipeline parameter"
                        + suggestion(target, Array(params.keys))))
                    continue
                }
                params[target] = .init(value, location)
            }
        }
        for n in nodes.indices {
            for s in nodes[n].settings.indices {
                let setting = nodes[n].settings[s]
                let before = diagnostics.count
                nodes[n].settings[s].value.text = substitute(setting.value, params, node: nodes[n].id, key: setting.key)
                if diagnostics.count > before { unresolved.insert(nodes[n].id + "." + setting.key) }
            }
        }
        return nodes
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

    /// Replaces `$name` (whole value) and `${name}` (inside text) with pipeline parameters.
    private mutating func substitute(_ setting: PipelineDocument.Setting, _ params: [String: PipelineDocument.Setting],
                                     node: String, key: String) -> String {
        let text = setting.text
        guard text.contains("$") else { return text }
        if text.hasPrefix("$"), !text.hasPrefix("${") {
            let name = String(text.dropFirst())
            if let value = params[name] { return value.text }
            diagnostics.append(Diagnostic(setting.location, node: node, key: key,
                                          "unknown parameter '$\(name)'" + suggestion(name, Array(params.keys))))
            return text
        }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                diagnostics.append(Diagnostic(setting.location, node: node, key: key, "unclosed '${'"))
                return text
            }
            let name = String(rest[open.upperBound..<close])
            if let value = params[name] { result += value.text } else {
                diagnostics.append(Diagnostic(setting.location, node: node, key: key,
                                              "unknown parameter '${\(name)}'" + suggestion(name, Array(params.keys))))
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private func suggestion(_ word: String, _ candidates: [String]) -> String {
        Spelling.closest(to: word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
