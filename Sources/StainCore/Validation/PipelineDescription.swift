import Foundation

/// A readable account of a resolved pipeline (`stain describe`): its parameters with their values, where each came
/// from and which node settings use it; its nodes with their final settings; and what each variant changes. It is
/// built from the file alone, so a pipeline can be understood before its inputs or weights exist.
public enum PipelineDescription {
    public static func text(_ pipeline: ResolvedPipeline, registry: NodeRegistry) -> String {
        let document = pipeline.document
        var lines = ["pipeline '\(document.name)' (\(document.file))"]
        if let description = document.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty {
            lines += wrapped(description, width: 100).map { "  " + $0 }
        }

        lines += ["", "params:"]
        if pipeline.params.isEmpty { lines.append("  (none)") }
        for param in pipeline.params {
            let origin = switch param.value.origin {
            case .file: "from the file, line \(param.value.location.line)"
            case .commandLine: "from --set, relative to the current folder"
            }
            lines.append("  \(param.name) = \(shown(param.value.text))  (\(origin))")
            lines.append("    " + (param.usedBy.isEmpty ? "not used" : "used by " + param.usedBy.joined(separator: ", ")))
        }

        lines += ["", "nodes" + (pipeline.variant.map { " (variant \($0))" } ?? "") + ":"]
        for node in pipeline.nodes {
            let type = node.value("type")?.text ?? ""
            let typeText = type.isEmpty ? "(no type)" : type + (registry[type] == nil ? " (unknown node type)" : "")
            lines.append("  \(node.id): \(typeText)")
            for (key, value) in node.settings where key != "type" {
                lines.append("    \(key): \(shown(value.text))")
            }
        }

        lines += ["", "variants:"]
        if document.variants.isEmpty { lines.append("  (none)") }
        for variant in document.variants {
            lines.append("  \(variant.name):")
            lines += changes(variant.nodes, to: document.nodes, registry: registry).map { "    " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What a variant's node blocks do to the nodes as written, one line each: a node removed, added or given a new
    /// type (with the keys the new type does not take, which the variant drops), and each key set or removed.
    public static func changes(_ blocks: [PipelineDocument.NodeEntry], to nodes: [PipelineDocument.NodeEntry],
                               registry: NodeRegistry) -> [String] {
        var lines: [String] = []
        for block in blocks {
            guard let node = nodes.first(where: { $0.id == block.id }) else {
                lines.append(block.removes ? "\(block.id): removed (there is no such node)"
                                           : "\(block.id): added (\(block.value("type")?.text ?? "no type"))")
                lines += block.settings.filter { $0.key != "type" }.map { "\(block.id).\($0.key): \(shown($0.value.text))" }
                continue
            }
            if block.removes {
                lines.append("\(block.id): removed")
                continue
            }
            var dropped: Set<String> = []
            let oldType = node.value("type")?.text ?? ""
            if let newType = block.value("type")?.text, newType != oldType {
                if let declared = registry[newType]?.descriptor.keys {
                    dropped = Set(node.settings.map(\.key).filter { $0 != "type" && !declared.contains($0) })
                }
                let kept = node.settings.map(\.key).filter { dropped.contains($0) && block.value($0) == nil }
                lines.append("\(block.id): \(oldType) → \(newType)"
                             + (kept.isEmpty ? "" : " (drops \(kept.joined(separator: ", ")))"))
            }
            for (key, value) in block.settings where key != "type" {
                let old = dropped.contains(key) ? nil : node.value(key)?.text
                if value.removes {
                    lines.append("\(block.id).\(key): removed" + (old.map { " (was \(shown($0)))" } ?? ""))
                } else if let old {
                    lines.append("\(block.id).\(key): \(shown(old)) → \(shown(value.text))")
                } else {
                    lines.append("\(block.id).\(key): \(shown(value.text))")
                }
            }
        }
        return lines.isEmpty ? ["(no changes)"] : lines
    }

    /// Text broken into lines of at most `width` characters at spaces (a longer word gets a line of its own); a
    /// folded YAML description arrives as one long line.
    public static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            lines.append(line)
        }
        return lines
    }

    /// A value as it can be read back: empty text is shown as `""`.
    private static func shown(_ text: String) -> String { text.isEmpty ? "\"\"" : text }
}
