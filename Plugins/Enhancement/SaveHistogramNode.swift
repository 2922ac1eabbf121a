import StainCore

/// `save-histogram`: writes a histogram as JSON (atomically, with the run's other outputs).
public struct SaveHistogramNode: StainNode {
    public static let name = "save-histogram"
    public static let summary = "Save a histogram as JSON"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", [.histogram], formerly: ["input"], doc: "the histogram")
        let path = Parameter<OutputFile>("path", doc: "JSON file to write")
    }

    let path: String

    public init(_ p: Configuration<Declaration>) throws { path = try p.path.path }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        guard case .histogram(let histogram) = try inputs.required(\.source) else {
            throw NodeRunError(.failure, "input is not a histogram")
        }
        try histogram.write(to: context.outputs.stage(path))
        return [:]
    }
}
