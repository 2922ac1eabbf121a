import StainCore

/// `lpips-c`: LPIPS between the quantized luma of each prediction (×3) and its enhanced input z (DSD_U).
public struct LPIPSColorFreeNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "lpips-c", summary: "LPIPS-c: LPIPS between the luma of each prediction and its enhanced image z",
        inputs: [MetricPorts.prediction, MetricPorts.reference("enhanced image(s) z, same names")],
        outputs: [MetricPorts.table], parameters: [MetricPorts.allowUnpaired, MetricPorts.lpipsWeights])

    let allowUnpaired: Bool
    let weights: String
    public init(_ p: ParameterValues) throws {
        allowUnpaired = p.bool("allow-unpaired")
        weights = try Evaluation.weightsPath(p.optionalString("weights"), lpips: true)
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.pairedScores(.lpipsC, prediction: inputs.imageSet("prediction"),
                                                  reference: inputs.imageSet("reference"), allowUnpaired: allowUnpaired,
                                                  lpips: Evaluation.lpips(weights: weights)))]
    }
}
