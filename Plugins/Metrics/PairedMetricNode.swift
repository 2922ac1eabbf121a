import StainCore

/// What distinguishes one paired metric node from another.
public protocol PairedMetricKind: Sendable {
    static var metric: Evaluation.Metric { get }
    static var summary: String { get }
    /// What the `reference` port takes.
    static var referenceDoc: String { get }
}

/// A node scoring each prediction against the reference of the same name (psnr, ssim, lpips, lpips-c): one table
/// row per pair. LPIPS-based kinds also take a `weights` parameter.
public struct PairedMetricNode<Kind: PairedMetricKind>: StainNode {
    static var usesLPIPS: Bool { Kind.metric == .lpips || Kind.metric == .lpipsC }

    public static var descriptor: NodeDescriptor {
        NodeDescriptor(
            name: Kind.metric.rawValue, summary: Kind.summary,
            inputs: [MetricPorts.prediction, MetricPorts.reference(Kind.referenceDoc)],
            outputs: [MetricPorts.table],
            parameters: [MetricPorts.allowUnpaired] + (usesLPIPS ? [MetricPorts.lpipsWeights] : []))
    }

    let allowUnpaired: Bool
    let weights: String?

    public init(_ p: ParameterValues) throws {
        allowUnpaired = p.bool("allow-unpaired")
        weights = Self.usesLPIPS ? try Evaluation.weightsPath(p.optionalString("weights"), lpips: true) : nil
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let lpips = try weights.map { try Evaluation.lpips(weights: $0) }
        return ["out": .table(try Evaluation.pairedScores(Kind.metric, prediction: inputs.imageSet("prediction"),
                                                         reference: inputs.imageSet("reference"),
                                                         allowUnpaired: allowUnpaired, lpips: lpips))]
    }
}
