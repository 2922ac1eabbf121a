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
    public static var name: String { Kind.metric.rawValue }
    public static var summary: String { Kind.summary }

    public struct Declaration: NodeDeclaration {
        public init() {}
        let prediction = MetricPorts.prediction
        let reference = MetricPorts.reference(Kind.referenceDoc)
        let out = MetricPorts.table
        let allowUnpaired = MetricPorts.allowUnpaired
        let weights = PairedMetricNode.usesLPIPS ? MetricPorts.lpipsWeights : nil
    }

    let allowUnpaired: Bool
    let weights: String?

    public init(_ p: Configuration<Declaration>) throws {
        allowUnpaired = try p.allowUnpaired
        weights = Self.usesLPIPS ? try Evaluation.weightsPath((try p.weights ?? nil)?.path, lpips: true) : nil
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let lpips = try weights.map { try Evaluation.lpips(weights: $0) }
        return [\.out: .table(try Evaluation.pairedScores(Kind.metric, prediction: inputs.imageSet(\.prediction),
                                                          reference: inputs.imageSet(\.reference),
                                                          allowUnpaired: allowUnpaired, lpips: lpips,
                                                          progress: context.progress))]
    }
}
