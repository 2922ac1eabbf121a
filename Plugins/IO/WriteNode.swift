import Foundation
import StainCore
import Vips

/// `write`: saves an image, format from the extension; TIFF can be tiled and pyramidal (QuPath/OpenSlide-ready).
/// The file appears only when the whole run succeeds (written to a temporary file, then renamed).
public struct WriteNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "write", summary: "Write an image: PNG, JPEG, or (pyramidal, tiled) TIFF, atomically",
        inputs: [InputPort("input", doc: "the image to write")],
        parameters: [
            ParameterSpec("path", .outputFile, doc: "output file; .png, .jpg/.jpeg, .tif/.tiff"),
            ParameterSpec("pyramid", .bool, default: .bool(false), doc: "TIFF: write a tiled multi-resolution pyramid"),
            ParameterSpec("tiled", .bool, default: .bool(true), doc: "TIFF: tiled layout (always on for pyramids)"),
            ParameterSpec("tile-size", .int, default: .int(256), range: 16...4096, doc: "TIFF: tile width and height"),
            ParameterSpec("compression", .choice(["jpeg", "deflate", "lzw", "none"]), default: .string("jpeg"),
                          doc: "TIFF compression (PNG is always deflate, JPEG always jpeg)"),
            ParameterSpec("quality", .int, default: .int(90), range: 1...100, doc: "JPEG quality (JPEG files, jpeg TIFF)"),
            ParameterSpec("bigtiff", .bool, default: .bool(false), doc: "TIFF: 64-bit offsets, for outputs over 4 GB"),
            ParameterSpec("keep-format", .bool, default: .bool(false),
                          doc: "TIFF: keep float/16-bit pixels (LAB, fields) instead of casting to 8-bit"),
        ])

    let path: String
    let options: [String: VipsValue]
    let keepFormat: Bool

    public init(_ p: ParameterValues) throws {
        path = p.string("path")
        keepFormat = p.bool("keep-format")
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "png":
            options = [:]
            if keepFormat { throw NodeConfigurationError(key: "keep-format", "PNG and JPEG files are 8-bit here; use .tif") }
        case "jpg", "jpeg":
            options = ["Q": .int(p.int("quality"))]
            if keepFormat { throw NodeConfigurationError(key: "keep-format", "PNG and JPEG files are 8-bit here; use .tif") }
        case "tif", "tiff":
            let pyramid = p.bool("pyramid")
            var tiff: [String: VipsValue] = ["compression": .enumeration(p.string("compression"))]
            if pyramid || p.bool("tiled") {
                // libtiff requires tile sizes in multiples of 16; libvips would fail only when the file is written.
                guard p.int("tile-size") % 16 == 0 else {
                    throw NodeConfigurationError(key: "tile-size", "\(p.int("tile-size")) is not a multiple of 16, "
                        + "which TIFF tiles need (e.g. \(max(16, p.int("tile-size") / 16 * 16)))")
                }
                tiff["tile"] = .bool(true)
                tiff["tile_width"] = .int(p.int("tile-size"))
                tiff["tile_height"] = .int(p.int("tile-size"))
            }
            if pyramid { tiff["pyramid"] = .bool(true) }
            if p.string("compression") == "jpeg" { tiff["Q"] = .int(p.int("quality")) }
            if p.bool("bigtiff") { tiff["bigtiff"] = .bool(true) }
            options = tiff
            if keepFormat && p.string("compression") == "jpeg" {
                throw NodeConfigurationError(key: "compression", "JPEG compression is 8-bit only; use deflate with keep-format")
            }
        default:
            throw NodeConfigurationError(key: "path", "unknown output format '.\(ext)'; use .png, .jpg, .jpeg, .tif or .tiff")
        }
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        var image = try inputs.image("input")
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
