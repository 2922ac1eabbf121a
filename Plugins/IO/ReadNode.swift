import StainCore
import Vips

/// `read`: opens any image libvips reads (PNG, JPEG, TIFF, pyramidal TIFF, OpenSlide SVS/NDPI/MRXS) lazily.
public struct ReadNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "read", summary: "Read an image or slide (any format libvips/OpenSlide reads), lazily",
        outputs: [OutputPort("out", doc: "the image: RGB(A) alpha removed by flattening on white, or gray")],
        parameters: [
            ParameterSpec("path", .inputFile, doc: "image or slide file"),
            ParameterSpec("level", .int, default: .int(0), range: 0...64,
                          doc: "pyramid level (0 = full resolution) for slides and pyramidal TIFF"),
            ParameterSpec("keep-alpha", .bool, default: .bool(false), doc: "keep an alpha band instead of flattening"),
        ])

    let path: String
    let level: Int
    let keepAlpha: Bool

    public init(_ p: ParameterValues) throws {
        path = p.string("path")
        level = p.int("level")
        keepAlpha = p.bool("keep-alpha")
    }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] {
        guard let image = try? open() else { return [:] }
        return ["out": image.bands]
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let image: VipsImage
        do {
            image = try open()
        } catch {
            throw NodeRunError(.unreadableInput, "cannot read '\(path)': \(error)")
        }
        return ["out": .image(image)]
    }

    /// Opens the file at the chosen level; flattens alpha unless asked not to.
    func open() throws -> VipsImage {
        let image = try ImageOpening.open(path, level: level)
        guard !keepAlpha, image.hasAlpha else { return image }
        return try image.call("flatten", ["background": .doubles([255, 255, 255])])
    }
}
