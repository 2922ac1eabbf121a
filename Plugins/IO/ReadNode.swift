import StainCore
import StainImaging
import Vips

/// `read`: opens any image libvips reads (PNG, JPEG, TIFF, pyramidal TIFF, OpenSlide SVS/NDPI/MRXS) lazily.
/// The header is read when the node is created, i.e. at validation: a file that is not an image, a level that does
/// not exist, an unsupported pixel format or a pixel count over the limit stops `stain validate` (see
/// `PixelFormatPolicy`); damage further inside the file fails the run when its pixels are decoded.
public struct ReadNode: StainNode, InputFileChecking {
    public static let name = "read"
    public static let summary = "Read an image or slide (any format libvips/OpenSlide reads), lazily"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let out = OutputPort("out", doc: "the image: 8-bit gray or RGB (16-bit scaled by round(v/257)); "
                             + "RGB(A) alpha removed by flattening on white")
        let path = Parameter<InputFile>("path", doc: "image or slide file")
        let level = Parameter("level", default: 0, range: 0...64,
                              doc: "pyramid level (0 = full resolution) for slides and pyramidal TIFF")
        let keepAlpha = Parameter("keep-alpha", default: false, doc: "keep an alpha band instead of flattening")
        let keepFormat = Parameter("keep-format", default: false,
                                   doc: "keep 16-bit, float and integer pixels (LAB images, fields) instead of 8-bit")
        let maxMegapixels = Parameter("max-megapixels", default: 0, range: 0...100_000_000,
                                      doc: "refuse larger images (decompression bombs); 0 = 4000, or 400000 for OpenSlide slides")
    }

    let path: String
    let level: Int
    /// The opened, checked and converted image (header only; pixels are decoded when pulled).
    let image: VipsImage
    public let warnings: [NodeWarning]

    public init(_ p: Configuration<Declaration>) throws {
        path = try p.path.path
        level = try p.level
        let limit = try p.maxMegapixels
        let keepFormat = try p.keepFormat
        let admitted: PixelFormatPolicy.Admitted
        do {
            admitted = try ImageOpening.admit(path, level: level, keepFormat: keepFormat,
                                              maxPixels: limit > 0 ? limit * 1_000_000 : nil)
        } catch let problem as ImageOpening.Problem {
            throw problem.isLevel ? p.problem(\.level, problem.message) : p.problem(\.path, problem.message, kind: .unreadableInput)
        }
        warnings = admitted.warnings.map { p.warning(\.path, $0) }
        let opened = admitted.image
        // libvips calls any 2-band image gray+alpha; a kept float image (a displacement field, LAB) has none.
        let floatKept = keepFormat && [.float, .double].contains(opened.format)
        if try !p.keepAlpha && opened.hasAlpha && !floatKept {
            do {
                image = try opened.call("flatten", ["background": .doubles([255, 255, 255])])
                    .withConsistentInterpretation()
            } catch {
                throw p.problem(\.path, "cannot flatten the alpha band of '\(path)': \(ErrorText.describe(error))",
                                kind: .unreadableInput)
            }
        } else {
            image = opened
        }
    }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] { ["out": image.bands] }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .image(image)]
    }

    public func inputDamage() -> NodeRunError? {
        ImageOpening.damage(path, level: level).map { NodeRunError(.unreadableInput, $0) }
    }
}
