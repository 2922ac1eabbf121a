import StainCore

/// `histogram`: the 256-bin luma histogram of a whole image (a statistics pass).
public struct HistogramNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "histogram", summary: "256-bin histogram of an image's luma (whole image)",
        inputs: [InputPort("source", doc: "image (e.g. a low pyramid level of a slide)")],
        outputs: [OutputPort("out", .histogram, doc: "the histogram")],
        needsStatistics: true)

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .histogram(try Luma.histogram(of: try inputs.image("source"), context, label: "statistics: histogram"))]
    }
}

/// `load-histogram`: a histogram saved by `stain histogram` or `save-histogram`.
public struct LoadHistogramNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "load-histogram", summary: "Load a saved histogram (JSON from `stain histogram`)",
        outputs: [OutputPort("out", .histogram, doc: "the histogram")],
        parameters: [ParameterSpec("path", .inputFile, doc: "histogram JSON file")])

    /// Read at validation, like images: a damaged file stops `stain validate` (exit 3).
    let histogram: Histogram

    public init(_ p: ParameterValues) throws {
        do {
            histogram = try Histogram.load(path: p.string("path"))
        } catch {
            throw NodeConfigurationError(key: "path", ErrorText.describe(error), kind: .unreadableInput)
        }
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .histogram(histogram)]
    }
}

/// `save-histogram`: writes a histogram as JSON (atomically, with the run's other outputs).
public struct SaveHistogramNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "save-histogram", summary: "Save a histogram as JSON",
        inputs: [InputPort("input", [.histogram], doc: "the histogram")],
        parameters: [ParameterSpec("path", .outputFile, doc: "JSON file to write")])

    let path: String

    public init(_ p: ParameterValues) throws { path = p.string("path") }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        guard case .histogram(let histogram)? = inputs["input"] else {
            throw NodeRunError(.failure, "input is not a histogram")
        }
        try histogram.write(to: context.outputs.stage(path))
        return [:]
    }
}
