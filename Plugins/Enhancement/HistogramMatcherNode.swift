import StainCore
import StainImaging
import Vips

/// `histogram-matcher`: the paper's light enhancement (inverse mode) and classic histogram matching (forward mode).
/// Statistics come from whole images (a statistics pass each), never from tiles; the mapping then streams.
public struct HistogramMatcherNode: StainNode {
    public static let name = "histogram-matcher"
    public static let summary = "Histogram matching of the luma: inverse (paper's dark-field enhancement) or forward"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "image to enhance (dark-field): its luma is remapped")
        let reference = InputPort("reference", [.image, .histogram],
                                  doc: "bright-field reference: an image, or a histogram (load-histogram / stain histogram)")
        let sourceStatistics = InputPort("source-statistics", [.image, .histogram], optional: true,
                                         doc: "take the source histogram from here instead (e.g. a lower pyramid level of the same slide)")
        let mask = InputPort("mask", bands: [1], optional: true,
                             doc: "tissue mask (tissue-mask): the source histogram counts tissue pixels only")
        let out = OutputPort("out", bands: .fixed(1), doc: "enhanced 8-bit gray image z")
        let mode = Parameter("mode", default: HistogramMatching.Mode.inverse,
                             doc: "inverse: z = c_ref⁻¹(1 − c_src(x)); forward: z = c_ref⁻¹(c_src(x))")
    }

    let mode: HistogramMatching.Mode

    public init(_ p: Configuration<Declaration>) throws {
        mode = try p.mode
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let source = try inputs.image(\.source)
        let sourceHistogram = try HistogramInput.histogram(inputs.value(\.sourceStatistics) ?? .image(source), context,
                                                           mask: inputs.optionalImage(\.mask),
                                                           label: "statistics: source histogram")
        let referenceHistogram = try HistogramInput.histogram(inputs.required(\.reference), context,
                                                              label: "statistics: reference histogram")
        let lut = HistogramMatching.lookupTable(source: sourceHistogram, reference: referenceHistogram, mode: mode)
        return [\.out: .image(try HistogramMatching.apply(lut, to: Luma.of(source)))]
    }
}

extension HistogramMatching.Mode: ParameterChoice {}
