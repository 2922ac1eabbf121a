/// Graphviz dot text for a pipeline (`stain graph`).
public enum GraphvizExport {
    /// A pipeline drawn from its file and the node declarations alone: it needs no input file to exist, so a
    /// pipeline can be drawn before its data is there. Problems with the pipeline itself are thrown as
    /// `PipelineInvalid`, as validation reports them.
    public static func dot(_ pipeline: ResolvedPipeline, registry: NodeRegistry) throws -> String {
        dot(try Validator(registry: registry).sketch(pipeline))
    }

    public static func dot(_ graph: PipelineGraph) -> String { dot(graph.sketch) }

    public static func dot(_ sketch: PipelineSketch) -> String {
        var lines = ["digraph \"\(escape(sketch.name))\" {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for node in sketch.nodes {
            let params = node.descriptor.parameters.compactMap { spec -> String? in
                guard let value = node.parameters[spec.name], value != spec.defaultValue else { return nil }
                return "\(spec.name)=\(value)"
            }
            let label = ([node.id, node.descriptor.name] + params).map(escape).joined(separator: "\\n")
            let shape = node.descriptor.needsStatistics ? ", style=bold" : ""
            lines.append("  \"\(escape(node.id))\" [label=\"\(label)\"\(shape)];")
        }
        for node in sketch.nodes {
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
