import StainCore
import Vips

/// `histogram-matcher`: the paper's light enhancement (inverse mode) and classic histogram matching (forward mode).
/// Statistics come from whole images (a statistics pass each), never from tiles; the mapping then streams.
public struct HistogramMatcherNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "histogram-matcher",
        summary: "Histogram matching of the luma: inverse (paper's dark-field enhancement) or forward",
        inputs: [
            InputPort("source", doc: "image to enhance (dark-field): its luma is remapped"),
            InputPort("reference", [.image, .histogram],
                      doc: "bright-field reference: an image, or a histogram (load-histogram / stain histogram)"),
            InputPort("source-statistics", [.image, .histogram], optional: true,
                      doc: "take the source histogram from here instead (e.g. a lower pyramid level of the same slide)"),
        ],
        outputs: [OutputPort("out", bands: .fixed(1), doc: "enhanced 8-bit gray image z")],
        parameters: [
            ParameterSpec("mode", .choice(HistogramMatching.Mode.allCases.map(\.rawValue)), default: .string("inverse"),
                          doc: "inverse: z = c_ref⁻¹(1 − c_src(x)); forward: z = c_ref⁻¹(c_src(x))"),
        ],
        needsStatistics: true)

    let mode: HistogramMatching.Mode

    public init(_ p: ParameterValues) throws {
        mode = HistogramMatching.Mode(rawValue: p.string("mode"))!
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let source = try inputs.image("source")
        let sourceHistogram = try HistogramInput.histogram(inputs["source-statistics"] ?? .image(source), context,
                                                           label: "statistics: source histogram")
        let referenceHistogram = try HistogramInput.histogram(inputs["reference"]!, context,
                                                              label: "statistics: reference histogram")
        let lut = HistogramMatching.lookupTable(source: sourceHistogram, reference: referenceHistogram, mode: mode)
        let table = try VipsImage.from(buffer: lut, width: 256, height: 1, bands: 1)
        let out = try Luma.of(source).call("maplut", ["lut": .image(table)])
        return ["out": .image(out)]
    }
}

/// A histogram from a port that takes an image or a histogram.
enum HistogramInput {
    static func histogram(_ value: NodeValue, _ context: RunContext, label: String) throws -> Histogram {
        switch value {
        case .histogram(let h): return h
        case .image(let image): return try Luma.histogram(of: image, context, label: label)
        case .table, .imageSet: throw NodeRunError(.failure, "expected an image or a histogram, got \(value.kind.rawValue)")
        }
    }
}
