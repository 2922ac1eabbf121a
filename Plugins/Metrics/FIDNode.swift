import StainCore
import StainMetrics

/// `fid`: Fréchet Inception Distance between the prediction set and the reference set (pytorch-fid features).
public struct FIDNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "fid", summary: "FID between a set of predictions and a set of reference images (pytorch-fid Inception)",
        inputs: [MetricPorts.prediction, MetricPorts.reference("reference set (e.g. the training bright-field images)")],
        outputs: [OutputPort("out", .table, doc: "one row 'set' with column fid")],
        parameters: [MetricPorts.inceptionWeights])

    let weights: String
    public init(_ p: ParameterValues) throws { weights = try Evaluation.weightsPath(p.optionalString("weights"), lpips: false) }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.distributionScores([.fid], prediction: inputs.imageSet("prediction"),
                                                        reference: inputs.imageSet("reference"),
                                                        inception: Evaluation.inception(weights: weights), kid: KID.Options()))]
    }
}
