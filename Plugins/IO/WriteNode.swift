import Foundation
import StainCore
import Vips

/// `write`: saves an image, format from the extension; TIFF can be tiled and pyramidal (QuPath/OpenSlide-ready).
/// The file appears only when the whole run succeeds (written to a temporary file, then renamed).
public struct WriteNode: StainNode {
    public static let name = "write"
    public static let summary = "Write an image: PNG, JPEG, or (pyramidal, tiled) TIFF, atomically"

    /// TIFF compression.
    public enum Compression: String, ParameterChoice {
        case jpeg, deflate, lzw, none
    }

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", formerly: ["input"], doc: "the image to write")
        let path = Parameter<OutputFile>("path", doc: "output file; .png, .jpg/.jpeg, .tif/.tiff")
        let pyramid = Parameter("pyramid", default: false, doc: "TIFF: write a tiled multi-resolution pyramid")
        let tiled = Parameter("tiled", default: true, doc: "TIFF: tiled layout (always on for pyramids)")
        let tileSize = Parameter("tile-size", default: 256, range: 16...4096, doc: "TIFF: tile width and height")
        let compression = Parameter("compression", default: Compression.jpeg,
                                    doc: "TIFF compression (PNG is always deflate, JPEG always jpeg)")
        let quality = Parameter("quality", default: 90, range: 1...100, doc: "JPEG quality (JPEG files, jpeg TIFF)")
        let bigtiff = Parameter("bigtiff", default: false, doc: "TIFF: 64-bit offsets, for outputs over 4 GB")
        let keepFormat = Parameter("keep-format", default: false,
                                   doc: "TIFF: keep float/16-bit pixels (LAB, fields) instead of casting to 8-bit")
    }

    let path: String
    let options: [String: VipsValue]
    let keepFormat: Bool

    public init(_ p: Configuration<Declaration>) throws {
        path = try p.path.path
        keepFormat = try p.keepFormat
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "png", "jpg", "jpeg":
            if keepFormat { throw p.problem(\.keepFormat, "PNG and JPEG files are 8-bit here; use .tif") }
            options = ext == "png" ? [:] : ["Q": .int(try p.quality)]
        case "tif", "tiff":
            let compression = try p.compression, tileSize = try p.tileSize
            var tiff: [String: VipsValue] = ["compression": .enumeration(compression.rawValue)]
            if try p.pyramid || p.tiled {
                // libtiff requires tile sizes in multiples of 16; libvips would fail only when the file is written.
                guard tileSize % 16 == 0 else {
                    throw p.problem(\.tileSize, "\(tileSize) is not a multiple of 16, which TIFF tiles need "
                                    + "(e.g. \(max(16, tileSize / 16 * 16)))")
                }
                tiff["tile"] = .bool(true)
                tiff["tile_width"] = .int(tileSize)
                tiff["tile_height"] = .int(tileSize)
            }
            if try p.pyramid { tiff["pyramid"] = .bool(true) }
            if compression == .jpeg { tiff["Q"] = .int(try p.quality) }
            if try p.bigtiff { tiff["bigtiff"] = .bool(true) }
            options = tiff
            if keepFormat && compression == .jpeg {
                throw p.problem(\.compression, "JPEG compression is 8-bit only; use deflate with keep-format")
            }
        default:
            throw p.problem(\.path, "unknown output format '.\(ext)'; use .png, .jpg, .jpeg, .tif or .tiff")
        }
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        var image = try inputs.image(\.source)
        if image.format != .uchar && !keepFormat {
            // Arithmetic promotes formats; cast so files stay 8-bit and small (16-bit by round(v/257), others
            // rounded and clipped), tagged b-w or srgb to match.
            image = try image.eightBit()
        }
        let temporary = try context.outputs.stage(path)
        context.progress.begin("writing \(path)")
        defer { context.progress.end() }
        let progress = context.progress, outputs = context.outputs
        do {
            try image.write(to: temporary, options: options) { state in
                progress.update(Double(state.percent) / 100)
                return !outputs.isCancelled
            }
        } catch where outputs.isCancelled {
            throw NodeRunError(.interrupted, "interrupted")
        } catch let error as VipsError {
            // libvips names the temporary file; the user knows the output path.
            throw NodeRunError(.failure, "cannot write '\(path)': "
                + error.message.replacingOccurrences(of: temporary, with: path))
        }
        return [:]
    }
}
