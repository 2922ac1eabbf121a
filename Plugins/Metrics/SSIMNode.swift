import StainCore

/// `ssim`: MATLAB-style SSIM (11×11 Gaussian σ 1.5, valid region, per channel, C1/C2 on 0–255), as the paper.
public struct SSIMNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "ssim", summary: "SSIM (11×11 Gaussian σ 1.5, valid region, per RGB channel) against references",
        inputs: [MetricPorts.prediction, MetricPorts.reference("ground-truth image(s)")],
        outputs: [MetricPorts.table], parameters: [MetricPorts.allowUnpaired])

    let allowUnpaired: Bool
    public init(_ p: ParameterValues) throws { allowUnpaired = p.bool("allow-unpaired") }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.pairedScores(.ssim, prediction: inputs.imageSet("prediction"),
                                                  reference: inputs.imageSet("reference"), allowUnpaired: allowUnpaired))]
    }
}
