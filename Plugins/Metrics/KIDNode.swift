import StainCore
import StainMetrics

/// `kid`: Kernel Inception Distance (unbiased MMD², cubic polynomial kernel, random subsets), mean and std.
public struct KIDNode: StainNode {
    public static let name = "kid"
    public static let summary = "KID (unbiased polynomial-kernel MMD² over subsets) between predictions and references"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let prediction = MetricPorts.prediction
        let reference = MetricPorts.reference("reference set")
        let out = OutputPort("out", .table, doc: "one row 'set' with columns kid, kid-std")
        let weights = MetricPorts.inceptionWeights
        let subsets = Parameter("subsets", default: 100, range: 1...100_000, doc: "number of random subsets")
        let subsetSize = Parameter("subset-size", default: 0, range: 0...100_000,
                                   doc: "images per subset (0: the smaller set size, at most 1000; the paper used 40)")
        let seed = Parameter("seed", default: 2020, range: 0...4_294_967_295, doc: "subset sampling seed")
    }

    let weights: String
    let options: KID.Options

    public init(_ p: Configuration<Declaration>) throws {
        weights = try Evaluation.weightsPath(try p.weights?.path, lpips: false)
        options = KID.Options(subsets: try p.subsets, subsetSize: try p.subsetSize, seed: UInt32(truncatingIfNeeded: try p.seed))
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .table(try Evaluation.distributionScores([.kid], prediction: inputs.imageSet(\.prediction),
                                                         reference: inputs.imageSet(\.reference),
                                                         inception: Evaluation.inception(weights: weights), kid: options))]
    }
}
