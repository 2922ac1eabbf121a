// Seamless tiled inference: fixed-size tiles on a grid with overlap, each computed once by a Swift body (cached,
// shared between libvips workers), and every output pixel the weighted mean of the tiles covering it, with weights
// ramping linearly across the overlap. Input beyond the image is mirrored, as in `generate`.
internal import CVips
import Foundation

extension VipsImage {
    /// A lazily computed float image of the same size as `input`, made from overlapping tiles.
    ///
    /// Tiles of `tileSize` start every `tileSize - overlap` pixels from (0, 0); the last row and column reach past
    /// the image (mirrored input) so every tile has the same shape. `body` receives each tile with `halo` extra
    /// context pixels and returns `tile width * tile height * outputBands` floats. Where tiles overlap, their outputs
    /// are blended with separable linear ramps (a partition of unity), which hides per-tile differences such as
    /// those of instance normalization. Each tile is computed once while it stays in a cache of recent tiles.
    public static func generateBlended<In: VipsPixel>(
        from input: VipsImage, inputAs inputType: In.Type = In.self, outputBands: Int,
        tileSize: (width: Int, height: Int), overlap: Int, halo: Int = 0, interpretation: Interpretation? = nil,
        body: @escaping @Sendable (TileRequest<In>) throws -> [Float]
    ) throws -> VipsImage {
        guard outputBands > 0, outputBands <= 65536 else {
            throw VipsError("generateBlended: outputBands must be in 1...65536, got \(outputBands)")
        }
        guard tileSize.width > 0, tileSize.height > 0, tileSize.width <= 65536, tileSize.height <= 65536 else {
            throw VipsError("generateBlended: invalid tile size \(tileSize.width)x\(tileSize.height)")
        }
        guard overlap >= 0, overlap < tileSize.width, overlap < tileSize.height else {
            throw VipsError("generateBlended: overlap must be in 0..<tile size, got \(overlap)")
        }
        guard halo >= 0, halo <= 65536 else { throw VipsError("generateBlended: halo must be in 0...65536") }
        let grid = BlendGrid(width: input.width, height: input.height, tile: tileSize, overlap: overlap)
        let typed = try input.cast(to: In.bandFormat)
        let source = try typed.call("embed", [
            "x": .int(halo), "y": .int(halo), "width": .int(grid.coveredWidth + 2 * halo),
            "height": .int(grid.coveredHeight + 2 * halo), "extend": .enumeration("mirror"),
        ])
        let cacheSize = 2 * grid.across + 2 * max(1, Vips.concurrency) + 4
        let context = BlendContext<In>(source: source, grid: grid, halo: halo, inputBands: source.bands,
                                       outputBands: outputBands, cacheSize: cacheSize, body: body)
        return try CustomImage.make(source: source, width: input.width, height: input.height, bands: outputBands,
                                    format: .float,
                                    interpretation: interpretation ?? .multiband, context: context)
    }
}

/// Tile placement and blending weights.
struct BlendGrid: Sendable {
    let width: Int, height: Int
    let tile: (width: Int, height: Int)
    let overlap: Int
    let strideX: Int, strideY: Int
    let across: Int, down: Int
    /// Per-axis weights over one tile: linear ramps across the overlap, 1 in between.
    let weightsX: [Float], weightsY: [Float]

    init(width: Int, height: Int, tile: (width: Int, height: Int), overlap: Int) {
        self.width = width
        self.height = height
        self.tile = tile
        self.overlap = overlap
        strideX = tile.width - overlap
        strideY = tile.height - overlap
        across = width <= tile.width ? 1 : (width - tile.width + strideX - 1) / strideX + 1
        down = height <= tile.height ? 1 : (height - tile.height + strideY - 1) / strideY + 1
        weightsX = BlendGrid.ramp(tile.width, overlap)
        weightsY = BlendGrid.ramp(tile.height, overlap)
    }

    var coveredWidth: Int { (across - 1) * strideX + tile.width }
    var coveredHeight: Int { (down - 1) * strideY + tile.height }

    static func ramp(_ size: Int, _ overlap: Int) -> [Float] {
        (0..<size).map { index in
            guard overlap > 0 else { return 1 }
            let fromEdge = min(index, size - 1 - index)
            return fromEdge < overlap ? (Float(fromEdge) + 0.5) / Float(overlap) : 1
        }
    }

    /// Tile indices along one axis whose span [i * stride, i * stride + size) meets [start, start + length).
    static func range(start: Int, length: Int, stride: Int, size: Int, count: Int) -> ClosedRange<Int>? {
        let first = max(0, start - size + stride) / stride
        let last = min(count - 1, (start + length - 1) / stride)
        return first <= last ? first...last : nil
    }
}

/// Per-image state of a blended generate: the grid, the tile cache and the body.
final class BlendContext<In: VipsPixel>: GenerateContextBase, @unchecked Sendable {
    let source: VipsImage
    let grid: BlendGrid
    let halo: Int, inputBands: Int, outputBands: Int
    let cache: TileOutputCache
    let body: @Sendable (TileRequest<In>) throws -> [Float]

    init(source: VipsImage, grid: BlendGrid, halo: Int, inputBands: Int, outputBands: Int, cacheSize: Int,
         body: @escaping @Sendable (TileRequest<In>) throws -> [Float]) {
        self.source = source
        self.grid = grid
        self.halo = halo
        self.inputBands = inputBands
        self.outputBands = outputBands
        self.cache = TileOutputCache(capacity: cacheSize)
        self.body = body
    }

    override func fill(output: UnsafeMutablePointer<VipsRegion>, input: UnsafeMutablePointer<VipsRegion>) -> Int32 {
        let valid = stainkit_region_valid(output)
        let left = Int(valid.left), top = Int(valid.top), width = Int(valid.width), height = Int(valid.height)
        guard let columns = BlendGrid.range(start: left, length: width, stride: grid.strideX, size: grid.tile.width,
                                            count: grid.across),
              let rows = BlendGrid.range(start: top, length: height, stride: grid.strideY, size: grid.tile.height,
                                         count: grid.down) else { return 0 }
        let bands = outputBands
        var sums = [Float](repeating: 0, count: width * height * bands)
        var weights = [Float](repeating: 0, count: width * height)
        for row in rows {
            for column in columns {
                let tileOutput: [Float]
                do {
                    tileOutput = try cache.value(for: row * grid.across + column) {
                        try compute(column: column, row: row, input: input)
                    }
                } catch {
                    stainkit_error("generateBlended", "tile (\(column), \(row)): \(error)")
                    return -1
                }
                accumulate(tileOutput, column: column, row: row, into: &sums, &weights,
                           rect: (left, top, width, height))
            }
        }
        // Normalize and write.
        let stride = stainkit_region_lskip(output)
        guard let outputPixels = stainkit_region_addr(output, valid.left, valid.top) else {
            stainkit_error("generateBlended", "no output pixels at (\(left), \(top))")
            return -1
        }
        let base = UnsafeMutableRawPointer(outputPixels)
        sums.withUnsafeBufferPointer { sum in
            weights.withUnsafeBufferPointer { weight in
                for y in 0..<height {
                    let line = base.advanced(by: y &* stride).assumingMemoryBound(to: Float.self)
                    for x in 0..<width {
                        let pixel = y &* width &+ x
                        let total = weight[pixel]
                        for band in 0..<bands { line[x &* bands &+ band] = sum[pixel &* bands &+ band] / total }
                    }
                }
            }
        }
        return 0
    }

    /// Runs the body on one tile.
    private func compute(column: Int, row: Int, input: UnsafeMutablePointer<VipsRegion>) throws -> [Float] {
        let x = column * grid.strideX, y = row * grid.strideY
        let inputWidth = grid.tile.width + 2 * halo, inputHeight = grid.tile.height + 2 * halo
        var need = VipsRect(left: Int32(x), top: Int32(y), width: Int32(inputWidth), height: Int32(inputHeight))
        guard vips_region_prepare(input, &need) == 0 else { throw VipsError.fromBuffer(context: "reading input") }
        let rowValues = inputWidth * inputBands
        let inputStride = stainkit_region_lskip(input)
        guard let inputPixels = stainkit_region_addr(input, need.left, need.top) else {
            throw VipsError("reading input: no pixels at (\(need.left), \(need.top))")
        }
        let pixels: [In] = packedRows(UnsafeRawPointer(inputPixels), rows: inputHeight, rowValues: rowValues,
                                      stride: inputStride)
        let request = TileRequest(x: x, y: y, width: grid.tile.width, height: grid.tile.height, halo: halo,
                                  inputBands: inputBands, outputBands: outputBands, imageWidth: grid.width,
                                  imageHeight: grid.height, input: pixels)
        let result = try body(request)
        guard result.count == request.outputCount else {
            throw VipsError("body returned \(result.count) values, expected \(request.outputCount)")
        }
        return result
    }

    /// Adds one tile's weighted output to the running sums of the requested rectangle.
    private func accumulate(_ tile: [Float], column: Int, row: Int, into sums: inout [Float], _ weights: inout [Float],
                            rect: (left: Int, top: Int, width: Int, height: Int)) {
        let originX = column * grid.strideX, originY = row * grid.strideY
        let x0 = max(rect.left, originX), x1 = min(rect.left + rect.width, originX + grid.tile.width)
        let y0 = max(rect.top, originY), y1 = min(rect.top + rect.height, originY + grid.tile.height)
        guard x1 > x0, y1 > y0 else { return }
        let bands = outputBands, tileWidth = grid.tile.width
        tile.withUnsafeBufferPointer { values in
            grid.weightsX.withUnsafeBufferPointer { weightX in
                grid.weightsY.withUnsafeBufferPointer { weightY in
                    sums.withUnsafeMutableBufferPointer { sum in
                        weights.withUnsafeMutableBufferPointer { weight in
                            for y in y0..<y1 {
                                let wy = weightY[y &- originY]
                                for x in x0..<x1 {
                                    let w = wy * weightX[x &- originX]
                                    let pixel = (y &- rect.top) &* rect.width &+ (x &- rect.left)
                                    let source = ((y &- originY) &* tileWidth &+ (x &- originX)) &* bands
                                    weight[pixel] += w
                                    for band in 0..<bands { sum[pixel &* bands &+ band] += w * values[source &+ band] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Recently computed tile outputs, shared by all workers: a tile being computed by one thread is waited for, not
/// computed again; the least recently used tiles are dropped beyond `capacity`.
final class TileOutputCache: @unchecked Sendable {
    private let condition = NSCondition()
    private var done: [Int: [Float]] = [:]
    private var recency: [Int] = []
    private var computing: Set<Int> = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func value(for key: Int, compute: () throws -> [Float]) throws -> [Float] {
        condition.lock()
        while true {
            if let value = done[key] {
                if let index = recency.firstIndex(of: key) { recency.remove(at: index) }
                recency.append(key)
                condition.unlock()
                return value
            }
            if !computing.contains(key) { break }
            condition.wait()
        }
        computing.insert(key)
        condition.unlock()
        do {
            let value = try compute()
            condition.lock()
            computing.remove(key)
            done[key] = value
            recency.append(key)
            while recency.count > capacity { done[recency.removeFirst()] = nil }
            condition.broadcast()
            condition.unlock()
            return value
        } catch {
            condition.lock()
            computing.remove(key)
            condition.broadcast()
            condition.unlock()
            throw error
        }
    }
}
