import StainCore

/// `load-histogram`: a histogram saved by `stain histogram` or `save-histogram`.
public struct LoadHistogramNode: StainNode {
    public static let name = "load-histogram"
    public static let summary = "Load a saved histogram (JSON from `stain histogram`)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let out = OutputPort("out", .histogram, doc: "the histogram")
        let path = Parameter<InputFile>("path", doc: "histogram JSON file")
    }

    /// Read at validation, like images: a damaged file stops `stain validate` (exit 3).
    let histogram: Histogram

    public init(_ p: Configuration<Declaration>) throws {
        do {
            histogram = try Histogram.load(path: try p.path.path)
        } catch {
            throw p.problem(\.path, ErrorText.describe(error), kind: .unreadableInput)
        }
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .histogram(histogram)]
    }
}
