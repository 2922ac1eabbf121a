import StainCore
import StainMetrics

/// `kid`: Kernel Inception Distance (unbiased MMD², cubic polynomial kernel, random subsets), mean and std.
public struct KIDNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "kid", summary: "KID (unbiased polynomial-kernel MMD² over subsets) between predictions and references",
        inputs: [MetricPorts.prediction, MetricPorts.reference("reference set")],
        outputs: [OutputPort("out", .table, doc: "one row 'set' with columns kid, kid-std")],
        parameters: [
            MetricPorts.inceptionWeights,
            ParameterSpec("subsets", .int, default: .int(100), range: 1...100_000, doc: "number of random subsets"),
            ParameterSpec("subset-size", .int, default: .int(0), range: 0...100_000,
                          doc: "images per subset (0: the smaller set size, at most 1000; the paper used 40)"),
            ParameterSpec("seed", .int, default: .int(2020), range: 0...4_294_967_295, doc: "subset sampling seed"),
        ])

    let weights: String
    let options: KID.Options
    public init(_ p: ParameterValues) throws {
        weights = try Evaluation.weightsPath(p.optionalString("weights"), lpips: false)
        options = KID.Options(subsets: p.int("subsets"), subsetSize: p.int("subset-size"), seed: UInt32(p.int("seed")))
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(try Evaluation.distributionScores([.kid], prediction: inputs.imageSet("prediction"),
                                                        reference: inputs.imageSet("reference"),
                                                        inception: Evaluation.inception(weights: weights), kid: options))]
    }
}
