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
        let mpp = Parameter("mpp", default: 0.0, range: 0...100_000,
                            doc: "choose the level by resolution instead: the coarsest with pixels no larger than this "
                                + "many µm (0: use level)")
        let regionLeft = Parameter("region-left", default: 0, range: 0...10_000_000,
                                   doc: "read only a region: its left edge, in full-resolution (level 0) pixels")
        let regionTop = Parameter("region-top", default: 0, range: 0...10_000_000, doc: "region top edge, level-0 pixels")
        let regionWidth = Parameter("region-width", default: 0, range: 0...10_000_000,
                                    doc: "region width in level-0 pixels (0: the whole image, no region)")
        let regionHeight = Parameter("region-height", default: 0, range: 0...10_000_000,
                                     doc: "region height in level-0 pixels (0: the whole image, no region)")
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
        let mpp = try p.mpp
        if mpp > 0 {
            do {
                level = try ImageOpening.level(forMicronsPerPixel: mpp, path)
            } catch let problem as ImageOpening.Problem {
                throw problem.isLevel ? p.problem(\.mpp, problem.message) : p.problem(\.path, problem.message, kind: .unreadableInput)
            }
        } else {
            level = try p.level
        }
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
        var image = opened
        if try !p.keepAlpha && opened.hasAlpha && !floatKept {
            do {
                image = try opened.call("flatten", ["background": .doubles([255, 255, 255])])
                    .withConsistentInterpretation()
            } catch {
                throw p.problem(\.path, "cannot flatten the alpha band of '\(path)': \(ErrorText.describe(error))",
                                kind: .unreadableInput)
            }
        }
        let region = (left: try p.regionLeft, top: try p.regionTop, width: try p.regionWidth, height: try p.regionHeight)
        if level > 0 || region.width > 0 || region.height > 0 || ImageOpening.isSlide(path) {
            let level0 = level == 0 ? opened : try ImageOpening.open(path, level: 0)
            // The level's own pixel size (pyramid pages often repeat level 0's tag; OpenSlide gives mpp), so every
            // later node and the written file know the physical scale.
            if let mpp = ImageOpening.micronsPerPixel(level0: level0) {
                let resolution = 1000 / (mpp * Double(level0.width) / Double(image.width))
                image = try image.withResolution(x: resolution, y: resolution)
            }
            if region.width > 0 || region.height > 0 { image = try Self.crop(image, region, level0: level0, p) }
        }
        self.image = image
    }

    /// The region (given in level-0 pixels) of the level that was read.
    static func crop(_ image: VipsImage, _ region: (left: Int, top: Int, width: Int, height: Int), level0: VipsImage,
                     _ p: Configuration<Declaration>) throws -> VipsImage {
        guard region.width > 0, region.height > 0 else {
            throw p.problem(\.regionWidth, "a region needs both region-width and region-height")
        }
        guard region.left + region.width <= level0.width, region.top + region.height <= level0.height else {
            throw p.problem(\.regionWidth, "region \(region.width)×\(region.height) at (\(region.left), \(region.top)) "
                            + "reaches past the image (\(level0.width)×\(level0.height) at level 0)")
        }
        let sx = Double(image.width) / Double(level0.width), sy = Double(image.height) / Double(level0.height)
        let x = Int((Double(region.left) * sx).rounded(.down)), y = Int((Double(region.top) * sy).rounded(.down))
        let w = max(1, min(image.width - x, Int((Double(region.width) * sx).rounded()))),
            h = max(1, min(image.height - y, Int((Double(region.height) * sy).rounded())))
        return try image.crop(x: x, y: y, width: w, height: h)
    }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] { ["out": image.bands] }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .image(image)]
    }

    public func inputDamage() -> NodeRunError? {
        ImageOpening.damage(path, level: level).map { NodeRunError(.unreadableInput, $0) }
    }
}
