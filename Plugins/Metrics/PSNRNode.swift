import StainCore

/// `psnr`: 20·log10(255/√MSE) over H·W·3 of each 8-bit pair (the paper's DSD_P evaluation).
public struct PSNRNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "psnr", summary: "PSNR of predictions against same-named references (8-bit RGB, MSE over H·W·3)",
        inputs: [MetricPorts.prediction, MetricPorts.reference("ground-truth image(s)")],
        outputs: [MetricPorts.table], parameters: [MetricPorts.allowUnpaired])

    let allowUnpaired: Bool
    public init(_ p: ParameterValues) throws { allowUnpaired = p.bool("allow-unpaired") }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.pairedScores(.psnr, prediction: inputs.imageSet("prediction"),
                                                  reference: inputs.imageSet("reference"), allowUnpaired: allowUnpaired))]
    }
}
