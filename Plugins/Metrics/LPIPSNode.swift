import StainCore

/// `lpips`: LPIPS (AlexNet, v0.1) against references; weights from a file, never downloaded.
public struct LPIPSNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "lpips", summary: "LPIPS (AlexNet v0.1) of predictions against same-named references",
        inputs: [MetricPorts.prediction, MetricPorts.reference("ground-truth image(s)")],
        outputs: [MetricPorts.table], parameters: [MetricPorts.allowUnpaired, MetricPorts.lpipsWeights])

    let allowUnpaired: Bool
    let weights: String
    public init(_ p: ParameterValues) throws {
        allowUnpaired = p.bool("allow-unpaired")
        weights = try Evaluation.weightsPath(p.optionalString("weights"), lpips: true)
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.pairedScores(.lpips, prediction: inputs.imageSet("prediction"),
                                                  reference: inputs.imageSet("reference"), allowUnpaired: allowUnpaired,
                                                  lpips: Evaluation.lpips(weights: weights)))]
    }
}
