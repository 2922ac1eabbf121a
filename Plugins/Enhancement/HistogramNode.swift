import StainCore
import StainImaging

/// `histogram`: the 256-bin luma histogram of a whole image (a statistics pass).
public struct HistogramNode: StainNode {
    public static let name = "histogram"
    public static let summary = "256-bin histogram of an image's luma (whole image)"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "image (e.g. a low pyramid level of a slide)")
        let out = OutputPort("out", .histogram, doc: "the histogram")
    }

    public init(_ p: Configuration<Declaration>) throws {}

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .histogram(try Luma.histogram(of: try inputs.image(\.source), context, label: "statistics: histogram"))]
    }
}
