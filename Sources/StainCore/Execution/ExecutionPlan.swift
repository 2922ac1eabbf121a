/// The passes a run makes over pixels, in order: statistics passes first, then the output pass.
public struct ExecutionPlan: Sendable, CustomStringConvertible {
    public struct Step: Sendable {
        public enum Kind: String, Sendable { case statistics, output }
        public let kind: Kind
        public let node: String
        public let type: String
    }

    public let steps: [Step]

    public init(_ graph: PipelineGraph) {
        let stats = graph.nodes.filter(\.descriptor.needsStatistics)
            .map { Step(kind: .statistics, node: $0.id, type: $0.descriptor.name) }
        let outputs = graph.nodes.filter { $0.descriptor.outputs.isEmpty }
            .map { Step(kind: .output, node: $0.id, type: $0.descriptor.name) }
        steps = stats + outputs
    }

    public var description: String {
        steps.enumerated().map { i, step in
            "pass \(i + 1): \(step.kind.rawValue) — node '\(step.node)' (\(step.type))"
        }.joined(separator: "\n")
    }
}
