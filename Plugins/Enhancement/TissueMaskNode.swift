import StainCore
import StainImaging

/// `tissue-mask`: where the tissue is, as a small mask image (255 tissue, 0 glass), so whole-slide runs can skip
/// bare glass: connect it to a network node's `mask` input, or write it to look at it.
public struct TissueMaskNode: StainNode {
    public static let name = "tissue-mask"
    public static let summary = "Tissue mask (255 tissue, 0 glass) of a small copy of an image: Otsu threshold + clean-up"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "image or slide level (a low pyramid level is enough and fastest)")
        let out = OutputPort("out", bands: .fixed(1), doc: "mask: 255 on tissue, 0 on glass, `size` px on its longest side")
        let signal = Parameter("signal", default: TissueDetection.Signal.saturation,
                               doc: "what tissue is: saturation (stained bright-field), darkness (bright-field gray), "
                                   + "brightness (dark-field: tissue glows on black glass)")
        let threshold = Parameter("threshold", default: 0, range: 0...255,
                                  doc: "signal level above which a pixel is tissue; 0: Otsu's threshold")
        let size = Parameter("size", default: 1024, range: 16...16384,
                             doc: "longest side of the copy the mask is computed on (and of the mask)")
        let cleanup = Parameter("cleanup", default: 2, range: 0...64,
                                doc: "radius in mask pixels of the closing (fills holes) then opening (removes specks)")
    }

    let detection: TissueDetection

    public init(_ p: Configuration<Declaration>) throws {
        let threshold = try p.threshold
        detection = TissueDetection(signal: try p.signal, threshold: threshold > 0 ? threshold : nil,
                                    size: try p.size, cleanup: try p.cleanup)
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        context.progress.begin("statistics: tissue mask")
        defer { context.progress.end() }
        return [\.out: .image(try detection.mask(of: inputs.image(\.source), context).mask)]
    }
}

extension TissueDetection.Signal: ParameterChoice {}
