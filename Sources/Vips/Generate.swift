// Custom streaming operations: an output image whose pixels a Swift closure computes tile by tile on libvips
// worker threads (vips_image_pipeline_array + vips_image_generate with @convention(c) callbacks). Each request
// gets its input rectangle grown by a halo; the input is first embedded with VIPS_EXTEND_MIRROR so border tiles
// see mirrored context. Errors thrown by the closure fail the libvips computation (and so the final write).
internal import CVips
import Foundation

/// One request for output pixels, handed to a `VipsImage.generate` body on a libvips worker thread.
public struct TileRequest<Pixel: VipsPixel>: Sendable {
    /// The output rectangle to compute, in image coordinates.
    public let x: Int, y: Int, width: Int, height: Int
    /// Extra input pixels on every side of the output rectangle.
    public let halo: Int
    /// Bands of `input`.
    public let inputBands: Int
    /// Bands the body must return per output pixel.
    public let outputBands: Int
    /// Size of the whole output image. With `fullTiles`, a tile at the right or bottom edge reaches past it; the
    /// body computes the whole tile and the part outside the image is dropped.
    public let imageWidth: Int, imageHeight: Int
    /// Input pixels of the output rectangle grown by `halo` on every side, interleaved, row-major:
    /// `inputWidth * inputHeight * inputBands` values. Input pixel (i, j) of this buffer is image pixel
    /// (x - halo + i, y - halo + j); outside the image, the image is mirrored (edge pixel repeated, then reversed).
    public let input: [Pixel]

    public var inputWidth: Int { width + 2 * halo }
    public var inputHeight: Int { height + 2 * halo }
    /// Values the body must return: `width * height * outputBands`, interleaved, row-major.
    public var outputCount: Int { width * height * outputBands }
}

extension VipsImage {
    /// A lazily computed image of the same size as `input`: libvips asks for output rectangles (on its worker
    /// threads, possibly several at once) and `body` computes each from the input rectangle grown by `halo`.
    ///
    /// - Parameters:
    ///   - input: the source; cast to `In`'s band format first if it differs (floats rounded to nearest).
    ///   - outputBands: bands per output pixel; the output band format is `Out`'s.
    ///   - halo: context pixels needed on every side (e.g. 1 for a 3×3 filter); borders are mirrored.
    ///   - tileSize: when set, every request is one tile of a fixed grid anchored at (0, 0) (clipped at the right
    ///     and bottom edges), and the result is wrapped in a threaded tile cache so no tile is computed twice.
    ///     When nil, libvips picks the request rectangles (small tiles, typically 128×128 or narrower strips).
    ///   - fullTiles: with `tileSize`, edge tiles are not clipped either: every request has exactly the tile size
    ///     (input mirrored past the right/bottom edge), so a network always sees one fixed shape.
    ///   - interpretation: of the output; by default b-w/srgb for 1/3/4-band uchar, grey16/rgb16 for ushort,
    ///     multiband otherwise.
    ///   - body: computes `request.outputCount` values; must be thread-safe. A thrown error makes the pixel
    ///     computation fail: the write or read that pulled these pixels throws a VipsError carrying its text.
    public static func generate<In: VipsPixel, Out: VipsPixel>(
        from input: VipsImage, inputAs inputType: In.Type = In.self, outputBands: Int, halo: Int = 0,
        tileSize: (width: Int, height: Int)? = nil, fullTiles: Bool = false, interpretation: Interpretation? = nil,
        body: @escaping @Sendable (TileRequest<In>) throws -> [Out]
    ) throws -> VipsImage {
        guard outputBands > 0, outputBands <= 65536 else {
            throw VipsError("generate: outputBands must be in 1...65536, got \(outputBands)")
        }
        guard halo >= 0, halo <= 65536 else { throw VipsError("generate: halo must be in 0...65536, got \(halo)") }
        if let tileSize, tileSize.width <= 0 || tileSize.height <= 0 || tileSize.width > 65536
            || tileSize.height > 65536 {
            throw VipsError("generate: tile size must be positive, got \(tileSize.width)x\(tileSize.height)")
        }
        let width = input.width, height = input.height
        // Extra mirrored input on the right and bottom so that full edge tiles have their input.
        var padX = 0, padY = 0
        if fullTiles {
            guard let tileSize else { throw VipsError("generate: fullTiles needs a tileSize") }
            padX = (tileSize.width - width % tileSize.width) % tileSize.width
            padY = (tileSize.height - height % tileSize.height) % tileSize.height
        }
        let typed = try input.cast(to: In.bandFormat)
        let source = halo == 0 && padX == 0 && padY == 0 ? typed : try typed.call("embed", [
            "x": .int(halo), "y": .int(halo), "width": .int(width + 2 * halo + padX),
            "height": .int(height + 2 * halo + padY),
            "extend": .enumeration("mirror"),
        ])

        // The context (closure + source image) lives until libvips finalizes the output image.
        let context = GenerateContext<In, Out>(source: source, halo: halo, inputBands: source.bands,
                                               outputBands: outputBands,
                                               tile: tileSize, fullTiles: fullTiles, width: width, height: height,
                                               body: body)
        let image = try CustomImage.make(source: source, width: width, height: height, bands: outputBands,
                                         format: Out.bandFormat,
                                         interpretation: interpretation
                                             ?? defaultInterpretation(format: Out.bandFormat, bands: outputBands),
                                         context: context)

        guard let tileSize else { return image }
        let across = (width + tileSize.width - 1) / tileSize.width
        return try image.call("tilecache", [
            "tile_width": .int(tileSize.width), "tile_height": .int(tileSize.height),
            "max_tiles": .int(max(4, 2 * across) + 2 * Vips.concurrency), "threaded": .bool(true),
        ])
    }

    static func defaultInterpretation(format: BandFormat, bands: Int) -> Interpretation {
        switch (format, bands) {
        case (.uchar, 1): .bw
        case (.uchar, 3), (.uchar, 4): .srgb
        case (.ushort, 1): .grey16
        case (.ushort, 3), (.ushort, 4): .rgb16
        default: .multiband
        }
    }
}

/// Builds a libvips image whose pixels a GenerateContextBase computes from regions of `source`.
enum CustomImage {
    static func make(source: VipsImage, width: Int, height: Int, bands: Int, format: BandFormat,
                     interpretation: Interpretation, context: GenerateContextBase) throws -> VipsImage {
        guard let out = vips_image_new() else { throw VipsError.fromBuffer(context: "generate: vips_image_new") }
        let image = VipsImage(taking: out)
        var inputs: [UnsafeMutablePointer<CVips.VipsImage>?] = [source.pointer, nil]
        guard vips_image_pipeline_array(out, VIPS_DEMAND_STYLE_SMALLTILE, &inputs) == 0 else {
            throw VipsError.fromBuffer(context: "generate: pipeline")
        }
        out.pointee.Xsize = Int32(width)
        out.pointee.Ysize = Int32(height)
        out.pointee.Bands = Int32(bands)
        out.pointee.BandFmt = VipsBandFormat(rawValue: format.rawValue)
        out.pointee.Coding = VIPS_CODING_NONE
        out.pointee.Type = VipsInterpretation(rawValue: interpretation.rawValue)

        // The context (closure + source image) is released when libvips finalizes the output image.
        context.synchronize()
        let opaque = Unmanaged<GenerateContextBase>.passRetained(context).toOpaque()
        g_object_set_data_full(stainkit_gobject(out), "stainkit-generate", opaque) { pointer in
            if let pointer { Unmanaged<GenerateContextBase>.fromOpaque(pointer).release() }
        }
        let status = vips_image_generate(out, vips_start_one, { region, sequence, _, context, _ in
            guard let region, let sequence, let context else { return -1 }
            let generator = Unmanaged<GenerateContextBase>.fromOpaque(context).takeUnretainedValue()
            generator.synchronize()
            return generator.fill(output: region, input: sequence.assumingMemoryBound(to: VipsRegion.self))
        }, vips_stop_one, source.pointer, opaque)
        guard status == 0 else { throw VipsError.fromBuffer(context: "generate") }
        return image
    }
}

/// `rows` lines of `rowValues` values each, read from a prepared region's memory at `start` (`stride` bytes from one
/// line to the next, as `stainkit_region_lskip` gives it) and packed into one array: the input a tile body reads,
/// for both the plain and the blended tile generators.
func packedRows<Element: VipsPixel>(_ start: UnsafeRawPointer, rows: Int, rowValues: Int, stride: Int) -> [Element] {
    [Element](unsafeUninitializedCapacity: rowValues * rows) { buffer, count in
        let rowBytes = rowValues * MemoryLayout<Element>.stride
        let destination = UnsafeMutableRawBufferPointer(buffer)
        for row in 0..<rows {
            UnsafeMutableRawBufferPointer(rebasing: destination[(row &* rowBytes)..<((row &+ 1) &* rowBytes)])
                .copyMemory(from: UnsafeRawBufferPointer(start: start.advanced(by: row &* stride), count: rowBytes))
        }
        count = rowValues * rows
    }
}

/// Type-erased entry point for the C generate callback.
class GenerateContextBase: @unchecked Sendable {
    /// A context is written once, on the calling thread, before `vips_image_generate`, and only read by libvips'
    /// worker threads afterwards. glib's thread pool already orders those accesses, but ThreadSanitizer cannot see
    /// inside uninstrumented glib and reports every read as a race; a lock taken once after construction and once
    /// per request states the same ordering where it can see it (one global lock, so that the lock itself is
    /// published by Swift's once-initialisation; held for nanoseconds per tile).
    private static let publication = NSLock()

    final func synchronize() {
        Self.publication.lock()
        Self.publication.unlock()
    }

    func fill(output: UnsafeMutablePointer<VipsRegion>, input: UnsafeMutablePointer<VipsRegion>) -> Int32 { -1 }
}

/// What one generated image needs on every request. Immutable, so shared by all worker threads.
final class GenerateContext<In: VipsPixel, Out: VipsPixel>: GenerateContextBase, @unchecked Sendable {
    let source: VipsImage
    let halo: Int, inputBands: Int, outputBands: Int
    let tile: (width: Int, height: Int)?
    let fullTiles: Bool
    let width: Int, height: Int
    let body: @Sendable (TileRequest<In>) throws -> [Out]

    init(source: VipsImage, halo: Int, inputBands: Int, outputBands: Int, tile: (width: Int, height: Int)?,
         fullTiles: Bool, width: Int, height: Int, body: @escaping @Sendable (TileRequest<In>) throws -> [Out]) {
        self.fullTiles = fullTiles
        self.source = source
        self.halo = halo
        self.inputBands = inputBands
        self.outputBands = outputBands
        self.tile = tile
        self.width = width
        self.height = height
        self.body = body
    }

    override func fill(output: UnsafeMutablePointer<VipsRegion>, input: UnsafeMutablePointer<VipsRegion>) -> Int32 {
        let wanted = stainkit_region_valid(output)
        let rect = (x: Int(wanted.left), y: Int(wanted.top), width: Int(wanted.width), height: Int(wanted.height))
        guard let tile else { return compute(rect, into: output, clip: rect, input: input) }
        // Fixed grid: compute every grid tile that meets the request, copy the overlap.
        var tileY = rect.y / tile.height * tile.height
        while tileY < rect.y + rect.height {
            var tileX = rect.x / tile.width * tile.width
            while tileX < rect.x + rect.width {
                let cell = fullTiles ? (x: tileX, y: tileY, width: tile.width, height: tile.height)
                    : (x: tileX, y: tileY, width: min(tile.width, width - tileX),
                       height: min(tile.height, height - tileY))
                if compute(cell, into: output, clip: rect, input: input) != 0 { return -1 }
                tileX += tile.width
            }
            tileY += tile.height
        }
        return 0
    }

    /// Computes `cell` and writes its intersection with `clip` (the region's valid area) into `output`.
    private func compute(_ cell: (x: Int, y: Int, width: Int, height: Int),
                         into output: UnsafeMutablePointer<VipsRegion>,
                         clip: (x: Int, y: Int, width: Int, height: Int),
                         input: UnsafeMutablePointer<VipsRegion>) -> Int32 {
        // In the embedded source, output pixel (x, y) sits at (x + halo, y + halo).
        var need = VipsRect(left: Int32(cell.x), top: Int32(cell.y), width: Int32(cell.width + 2 * halo),
                            height: Int32(cell.height + 2 * halo))
        if vips_region_prepare(input, &need) != 0 { return -1 }
        let rowValues = (cell.width + 2 * halo) * inputBands
        let rows = cell.height + 2 * halo
        let inputStride = stainkit_region_lskip(input)
        guard let inputPixels = stainkit_region_addr(input, need.left, need.top) else {
            stainkit_error("generate", "no input pixels at (\(need.left), \(need.top)) for the tile at "
                + "(\(cell.x), \(cell.y))")
            return -1
        }
        let pixels: [In] = packedRows(UnsafeRawPointer(inputPixels), rows: rows, rowValues: rowValues,
                                      stride: inputStride)
        let request = TileRequest(x: cell.x, y: cell.y, width: cell.width, height: cell.height, halo: halo,
                                  inputBands: inputBands, outputBands: outputBands, imageWidth: width,
                                  imageHeight: height, input: pixels)
        let result: [Out]
        do {
            result = try body(request)
        } catch {
            stainkit_error("generate", "tile \(cell.width)x\(cell.height) at (\(cell.x), \(cell.y)): \(error)")
            return -1
        }
        guard result.count == request.outputCount else {
            stainkit_error("generate", "body returned \(result.count) values for a \(cell.width)x\(cell.height) "
                + "tile of \(outputBands) bands; expected \(request.outputCount)")
            return -1
        }
        // Copy the part of the cell that the region wants.
        let left = max(cell.x, clip.x), top = max(cell.y, clip.y)
        let right = min(cell.x + cell.width, clip.x + clip.width)
        let bottom = min(cell.y + cell.height, clip.y + clip.height)
        guard right > left, bottom > top else { return 0 }
        let outputStride = stainkit_region_lskip(output)
        let pixelBytes = outputBands * MemoryLayout<Out>.stride
        let copyBytes = (right - left) * pixelBytes
        guard let outputPixels = stainkit_region_addr(output, Int32(left), Int32(top)) else {
            stainkit_error("generate", "no output pixels at (\(left), \(top)) for the tile at (\(cell.x), \(cell.y))")
            return -1
        }
        let target = UnsafeMutableRawPointer(outputPixels)
        result.withUnsafeBytes { bytes in
            for row in 0..<(bottom - top) {
                let sourceOffset = ((top - cell.y + row) &* cell.width &+ (left - cell.x)) &* pixelBytes
                UnsafeMutableRawBufferPointer(start: target.advanced(by: row &* outputStride), count: copyBytes)
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[sourceOffset..<(sourceOffset + copyBytes)]))
            }
        }
        return 0
    }
}
