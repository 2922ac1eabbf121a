import StainCore

/// `niqe`: no-reference NIQE (MATLAB-equivalent, LIVE pristine model shipped with StainKit).
public struct NIQENode: StainNode {
    public static let name = "niqe"
    public static let summary = "NIQE (no reference; MATLAB-equivalent with the LIVE pristine model), lower is better"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let prediction = MetricPorts.prediction
        let out = MetricPorts.table
    }

    public init(_ p: Configuration<Declaration>) throws {}

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .table(try Evaluation.niqeScores(inputs.imageSet(\.prediction), progress: context.progress))]
    }
}
