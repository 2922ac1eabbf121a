import Foundation
import StainCore
import Vips

/// `write`: saves an image, format from the extension: PNG, JPEG, TIFF (tiled, pyramidal: QuPath/OpenSlide-ready),
/// OME-TIFF (`.ome.tif`: pyramid in sub-IFDs, OME-XML with the physical pixel size, for QuPath/Bio-Formats) or
/// DeepZoom (`.dzi` + `NAME_files/` tiles, for web viewers such as OpenSeadragon). TIFF and OME-TIFF record the
/// image's pixel size (carried from the input slide through every node). The output appears only when the whole
/// run succeeds (written to a temporary name, then renamed).
public struct WriteNode: StainNode {
    public static let name = "write"
    public static let summary = "Write an image: PNG, JPEG, (pyramidal) TIFF, OME-TIFF or DeepZoom, atomically"

    /// TIFF compression.
    public enum Compression: String, ParameterChoice {
        case jpeg, deflate, lzw, none
    }

    /// What the file extension selects.
    enum Format {
        case png, jpeg, tiff, omeTiff, deepZoom

        init?(path: String) {
            let lower = path.lowercased()
            if lower.hasSuffix(".ome.tif") || lower.hasSuffix(".ome.tiff") { self = .omeTiff; return }
            switch (lower as NSString).pathExtension {
            case "png": self = .png
            case "jpg", "jpeg": self = .jpeg
            case "tif", "tiff": self = .tiff
            case "dzi": self = .deepZoom
            default: return nil
            }
        }
    }

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", formerly: ["input"], doc: "the image to write")
        let path = Parameter<OutputFile>("path", doc: "output file; .png, .jpg/.jpeg, .tif/.tiff, .ome.tif/.ome.tiff, .dzi")
        let pyramid = Parameter("pyramid", default: false, doc: "TIFF: write a tiled multi-resolution pyramid (OME-TIFF and DeepZoom always are)")
        let tiled = Parameter("tiled", default: true, doc: "TIFF: tiled layout (always on for pyramids)")
        let tileSize = Parameter("tile-size", default: 256, range: 16...4096, doc: "TIFF, OME-TIFF, DeepZoom: tile width and height")
        let compression = Parameter("compression", default: Compression.jpeg,
                                    doc: "TIFF compression (PNG is always deflate, JPEG and DeepZoom always jpeg)")
        let quality = Parameter("quality", default: 90, range: 1...100, doc: "JPEG quality (JPEG files, jpeg TIFF, DeepZoom tiles)")
        let bigtiff = Parameter("bigtiff", default: false, doc: "TIFF: 64-bit offsets, for outputs over 4 GB")
        let keepFormat = Parameter("keep-format", default: false,
                                   doc: "TIFF: keep float/16-bit pixels (LAB, fields) instead of casting to 8-bit")
    }

    let path: String
    let format: Format
    let options: [String: VipsValue]
    let keepFormat: Bool
    let tileSize: Int
    let quality: Int

    public init(_ p: Configuration<Declaration>) throws {
        path = try p.path.path
        keepFormat = try p.keepFormat
        tileSize = try p.tileSize
        quality = try p.quality
        guard let format = Format(path: path) else {
            throw p.problem(\.path, "unknown output format '.\((path as NSString).pathExtension)'; use .png, .jpg, "
                            + ".jpeg, .tif, .tiff, .ome.tif, .ome.tiff or .dzi")
        }
        self.format = format
        switch format {
        case .png, .jpeg, .deepZoom:
            if keepFormat { throw p.problem(\.keepFormat, "PNG, JPEG and DeepZoom files are 8-bit here; use .tif") }
            options = format == .png ? [:] : ["Q": .int(try p.quality)]
        case .tiff, .omeTiff:
            let compression = try p.compression
            var tiff: [String: VipsValue] = ["compression": .enumeration(compression.rawValue)]
            let pyramid = try p.pyramid || format == .omeTiff
            if try pyramid || p.tiled {
                // libtiff requires tile sizes in multiples of 16; libvips would fail only when the file is written.
                guard tileSize % 16 == 0 else {
                    throw p.problem(\.tileSize, "\(tileSize) is not a multiple of 16, which TIFF tiles need "
                                    + "(e.g. \(max(16, tileSize / 16 * 16)))")
                }
                tiff["tile"] = .bool(true)
                tiff["tile_width"] = .int(tileSize)
                tiff["tile_height"] = .int(tileSize)
            }
            if pyramid { tiff["pyramid"] = .bool(true) }
            // OME-TIFF keeps its reduced levels in sub-IFDs of the full-resolution image, as Bio-Formats expects.
            if format == .omeTiff { tiff["subifd"] = .bool(true) }
            // Pixel size: libvips keeps it in pixels per millimetre; TIFF readers expect a unit.
            tiff["resunit"] = .enumeration("cm")
            if compression == .jpeg { tiff["Q"] = .int(try p.quality) }
            if try p.bigtiff { tiff["bigtiff"] = .bool(true) }
            options = tiff
            if keepFormat && compression == .jpeg {
                throw p.problem(\.compression, "JPEG compression is 8-bit only; use deflate with keep-format")
            }
        }
    }

    /// The TIFF settings do nothing for PNG, JPEG and DeepZoom files.
    public var unusedParameters: [String] {
        let d = Declaration()
        let tiffOnly = [d.pyramid.name, d.tiled.name, d.compression.name, d.bigtiff.name, d.keepFormat.name]
        switch format {
        case .png: return tiffOnly + [d.tileSize.name, d.quality.name]
        case .jpeg: return tiffOnly + [d.tileSize.name]
        case .deepZoom: return tiffOnly
        case .tiff, .omeTiff: return []
        }
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        var image = try inputs.image(\.source)
        if image.format != .uchar && !keepFormat {
            // Arithmetic promotes formats; cast so files stay 8-bit and small (16-bit by round(v/257), others
            // rounded and clipped), tagged b-w or srgb to match.
            image = try image.eightBit()
        }
        if format == .omeTiff {
            image = try image.withStringField("image-description", OMEXML.describe(image, name: (path as NSString).lastPathComponent))
        }
        let temporary = try context.outputs.stage(path)
        context.progress.begin("writing \(path)")
        defer { context.progress.end() }
        let progress = context.progress, outputs = context.outputs
        do {
            if format == .deepZoom {
                // dzsave writes BASE.dzi and BASE_files/; both move into place together on commit.
                let base = String(temporary.dropLast(4)), finalBase = String(path.dropLast(4))
                outputs.stageCompanion(temporary: base + "_files", final: finalBase + "_files")
                try ProgressMonitor.observe(image, context) {
                    _ = try Vips.operation("dzsave", ["in": .image(image), "filename": .string(base),
                                                      "tile_size": .int(tileSize), "overlap": .int(1),
                                                      "suffix": .string(".jpg[Q=\(quality)]")])
                }
            } else {
                try image.write(to: temporary, options: options) { state in
                    progress.update(Double(state.percent) / 100)
                    return !outputs.isCancelled
                }
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
