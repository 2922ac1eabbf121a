import StainCore
import StainMetrics

/// `fid`: Fréchet Inception Distance between the prediction set and the reference set (pytorch-fid features).
public struct FIDNode: StainNode {
    public static let name = "fid"
    public static let summary = "FID between a set of predictions and a set of reference images (pytorch-fid Inception)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let prediction = MetricPorts.prediction
        let reference = MetricPorts.reference("reference set (e.g. the training bright-field images)")
        let out = OutputPort("out", .table, doc: "one row 'set' with column fid")
        let weights = MetricPorts.inceptionWeights
    }

    let weights: String

    public init(_ p: Configuration<Declaration>) throws { weights = try Evaluation.weightsPath(try p.weights?.path, lpips: false) }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .table(try Evaluation.distributionScores([.fid], prediction: inputs.imageSet(\.prediction),
                                                         reference: inputs.imageSet(\.reference),
                                                         inception: Evaluation.inception(weights: weights), kid: KID.Options()))]
    }
}
