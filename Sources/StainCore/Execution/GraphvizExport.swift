/// Graphviz dot text for a validated pipeline (`stain graph`).
public enum GraphvizExport {
    public static func dot(_ graph: PipelineGraph) -> String {
        var lines = ["digraph \"\(escape(graph.name))\" {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for node in graph.nodes {
            let params = node.descriptor.parameters.compactMap { spec -> String? in
                guard let value = node.parameters[spec.name], value != spec.defaultValue else { return nil }
                return "\(spec.name)=\(value)"
            }
            let label = ([node.id, node.descriptor.name] + params).map(escape).joined(separator: "\\n")
            let shape = node.descriptor.needsStatistics ? ", style=bold" : ""
            lines.append("  \"\(escape(node.id))\" [label=\"\(label)\"\(shape)];")
        }
        for node in graph.nodes {
            for (port, edge) in node.inputs.sorted(by: { $0.key < $1.key }) {
                lines.append("  \"\(escape(edge.node))\" -> \"\(escape(node.id))\" [label=\"\(escape(edge.port))→\(escape(port))\"];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
