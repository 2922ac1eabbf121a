// Statistics passes over fixed tiles: run a Swift body once on every tile of a grid (with halo), on libvips worker
// threads, without producing an image, e.g. to gather per-tile normalization statistics before a second pass.
import Foundation

extension VipsImage {
    /// Calls `body` exactly once for every tile of the `tileSize` grid (anchored at (0, 0); edge tiles clipped
    /// unless `fullTiles`), with `halo` mirrored context as in `generate`. Tiles are visited in parallel on
    /// libvips workers, in no particular order; `body` must be thread-safe. The first error thrown stops the pass
    /// and is rethrown as a VipsError.
    public func visitTiles<In: VipsPixel>(
        inputAs inputType: In.Type = In.self, tileSize: (width: Int, height: Int), halo: Int = 0,
        fullTiles: Bool = false, body: @escaping @Sendable (TileRequest<In>) throws -> Void
    ) throws {
        let visited = VisitedTiles()
        let marks = try VipsImage.generate(from: self, inputAs: In.self, outputBands: 1, halo: halo,
                                           tileSize: tileSize, fullTiles: fullTiles) {
            (request: TileRequest<In>) -> [UInt8] in
            if visited.claim(x: request.x, y: request.y) { try body(request) }
            return [UInt8](repeating: 0, count: request.width * request.height)
        }
        // Any full-image reduction drives the computation on all workers; avg is the cheapest.
        _ = try marks.average()
    }
}

/// Tile origins already handed to the body, so a tile evicted from the cache and computed again is not reported twice.
private final class VisitedTiles: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = Set<[Int]>()

    func claim(x: Int, y: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return seen.insert([x, y]).inserted
    }
}
