import StainCore

/// `niqe`: no-reference NIQE (MATLAB-equivalent, LIVE pristine model shipped with StainKit).
public struct NIQENode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "niqe", summary: "NIQE (no reference; MATLAB-equivalent with the LIVE pristine model), lower is better",
        inputs: [MetricPorts.prediction], outputs: [MetricPorts.table])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.niqeScores(inputs.imageSet("prediction")))]
    }
}
