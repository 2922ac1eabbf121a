import StainCore
import Vips

/// `read`: opens any image libvips reads (PNG, JPEG, TIFF, pyramidal TIFF, OpenSlide SVS/NDPI/MRXS) lazily.
/// The header is read when the node is created, i.e. at validation: a file that is not an image, a level that does
/// not exist, an unsupported pixel format or a pixel count over the limit stops `stain validate` (see
/// `PixelFormatPolicy`); damage further inside the file fails the run when its pixels are decoded.
public struct ReadNode: StainNode, InputFileChecking {
    public static let descriptor = NodeDescriptor(
        name: "read", summary: "Read an image or slide (any format libvips/OpenSlide reads), lazily",
        outputs: [OutputPort("out", doc: "the image: 8-bit gray or RGB (16-bit scaled by round(v/257)); "
                             + "RGB(A) alpha removed by flattening on white")],
        parameters: [
            ParameterSpec("path", .inputFile, doc: "image or slide file"),
            ParameterSpec("level", .int, default: .int(0), range: 0...64,
                          doc: "pyramid level (0 = full resolution) for slides and pyramidal TIFF"),
            ParameterSpec("keep-alpha", .bool, default: .bool(false), doc: "keep an alpha band instead of flattening"),
            ParameterSpec("keep-format", .bool, default: .bool(false),
                          doc: "keep 16-bit, float and integer pixels (LAB images, fields) instead of 8-bit"),
            ParameterSpec("max-megapixels", .int, default: .int(0), range: 0...100_000_000,
                          doc: "refuse larger images (decompression bombs); 0 = 4000, or 400000 for OpenSlide slides"),
        ])

    let path: String
    let level: Int
    /// The opened, checked and converted image (header only; pixels are decoded when pulled).
    let image: VipsImage
    public let warnings: [NodeWarning]

    public init(_ p: ParameterValues) throws {
        path = p.string("path")
        level = p.int("level")
        let limit = p.int("max-megapixels")
        let admitted: PixelFormatPolicy.Admitted
        do {
            admitted = try ImageOpening.admit(path, level: level, keepFormat: p.bool("keep-format"),
                                              maxPixels: limit > 0 ? limit * 1_000_000 : nil)
        } catch let problem as ImageOpening.Problem {
            throw NodeConfigurationError(key: problem.isLevel ? "level" : "path", problem.message,
                                         kind: problem.isLevel ? .pipeline : .unreadableInput)
        }
        warnings = admitted.warnings.map { NodeWarning(key: "path", $0) }
        let opened = admitted.image
        // libvips calls any 2-band image gray+alpha; a kept float image (a displacement field, LAB) has none.
        let floatKept = p.bool("keep-format") && [.float, .double].contains(opened.format)
        if !p.bool("keep-alpha") && opened.hasAlpha && !floatKept {
            do {
                image = try opened.call("flatten", ["background": .doubles([255, 255, 255])])
                    .withConsistentInterpretation()
            } catch {
                throw NodeConfigurationError(key: "path", "cannot flatten the alpha band of '\(path)': \(ErrorText.describe(error))",
                                             kind: .unreadableInput)
            }
        } else {
            image = opened
        }
    }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] { ["out": image.bands] }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .image(image)]
    }

    public func inputDamage() -> NodeRunError? {
        ImageOpening.damage(path, level: level).map { NodeRunError(.unreadableInput, $0) }
    }
}
