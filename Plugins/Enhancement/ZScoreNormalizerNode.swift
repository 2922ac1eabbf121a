import StainCore
import StainImaging
import Vips

/// `zscore-normalizer`: the paper's swap-in enhancement, a per-image z-score of the luma rescaled to 8 bits
/// (`ZScore`).
public struct ZScoreNormalizerNode: StainNode {
    public static let name = "zscore-normalizer"
    public static let summary = "Z-score normalization of the luma (per image), rescaled to 8 bits with ±k σ → 0…255"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "image to normalize")
        let out = OutputPort("out", bands: .fixed(1), doc: "normalized 8-bit gray image")
        let clip = Parameter("clip", default: 3.0, range: 0.1...100, doc: "k: z = ±k maps to 0 and 255; beyond is clipped")
        let invert = Parameter("invert", default: false, doc: "use −z (dark-field → bright-field polarity)")
    }

    let zscore: ZScore

    public init(_ p: Configuration<Declaration>) throws {
        zscore = ZScore(clip: try p.clip, invert: try p.invert)
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .image(try zscore.normalize(inputs.image(\.source), context))]
    }
}
