import EnhancementPlugins
import StainCore
import StainImaging

/// `darkfield-synthesizer`: the paper's Sec. V-D synthesis of an unstained dark-field image from a stained
/// bright-field one, x = c_d⁻¹(1 − c_b(gray(y))) (`DarkfieldSynthesis`).
public struct DarkfieldSynthesizerNode: StainNode {
    public static let name = "darkfield-synthesizer"
    public static let summary = "Synthesize a dark-field image from a stained bright-field one: x = c_d⁻¹(1 − c_b(gray(y)))"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "stained bright-field image y")
        let darkfieldHistogram = InputPort("darkfield-histogram", [.histogram, .image], optional: true,
                                           doc: "measured dark-field intensities c_d (default: the built-in model, see the node reference)")
        let out = OutputPort("out", bands: .fixed(3), doc: "synthetic dark-field RGB image x")
        let tintRed = Parameter("tint-red", default: 1.0, range: 0...2, doc: "red gain of the dark-field illumination")
        let tintGreen = Parameter("tint-green", default: 0.96, range: 0...2, doc: "green gain")
        let tintBlue = Parameter("tint-blue", default: 0.88, range: 0...2, doc: "blue gain (halogen light is warm)")
        let noise = Parameter("noise", default: 1.5, range: 0...50, doc: "sensor noise σ in gray levels (0 = none)")
        let seed = Parameter("seed", default: 1, range: 0...2_147_483_647, doc: "noise seed")
    }

    let synthesis: DarkfieldSynthesis

    public init(_ p: Configuration<Declaration>) throws {
        synthesis = DarkfieldSynthesis(tint: [try p.tintRed, try p.tintGreen, try p.tintBlue], noise: try p.noise,
                                       seed: try p.seed)
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let darkfield = try inputs.value(\.darkfieldHistogram).map {
            try HistogramInput.histogram($0, context, label: "statistics: dark-field histogram")
        }
        return [\.out: .image(try synthesis.synthesize(inputs.image(\.source), darkfield: darkfield, context))]
    }
}
