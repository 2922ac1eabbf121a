import NeuralKernels
import Foundation

/// Per-tile instance-norm statistics on the tile grid, for kernel instance normalization (KIN, Ho et al.,
/// ECCV 2022): a tile normalizes with the binomial 3×3 (1-2-1) weighted mean of its own and its neighbours'
/// per-layer mean and variance, so statistics change smoothly across tiles instead of jumping at every seam.
final class KernelGrid: @unchecked Sendable {
    let tileSize: Int
    let across: Int, down: Int
    private let lock = NSLock()
    private var cells: [Int: [ChannelStatistics]] = [:]

    init(tileSize: Int, width: Int, height: Int) {
        self.tileSize = tileSize
        across = (width + tileSize - 1) / tileSize
        down = (height + tileSize - 1) / tileSize
    }

    func store(_ statistics: [ChannelStatistics], x: Int, y: Int) {
        lock.lock()
        defer { lock.unlock() }
        cells[(y / tileSize) * across + x / tileSize] = statistics
    }

    func checkComplete() throws {
        lock.lock()
        defer { lock.unlock() }
        guard cells.count == across * down else {
            throw NeuralNodeError("kernel statistics pass visited \(cells.count) of \(across * down) tiles")
        }
    }

    /// The kernel-weighted statistics for the tile whose origin is (x, y).
    func smoothed(x: Int, y: Int) throws -> [ChannelStatistics] {
        lock.lock()
        defer { lock.unlock() }
        let column = x / tileSize, row = y / tileSize
        guard let centre = cells[row * across + column] else {
            throw NeuralNodeError("no statistics for the tile at (\(x), \(y))")
        }
        var result = centre.map {
            ChannelStatistics(mean: [Double](repeating: 0, count: $0.mean.count),
                            variance: [Double](repeating: 0, count: $0.variance.count))
        }
        var total = 0.0
        for dy in -1...1 {
            for dx in -1...1 {
                guard let neighbour = cells[(row + dy) * across + column + dx], (0..<across).contains(column + dx),
                      (0..<down).contains(row + dy) else { continue }
                let weight = Double((2 - abs(dx)) * (2 - abs(dy)))
                total += weight
                for (layer, stats) in neighbour.enumerated() {
                    for c in 0..<stats.mean.count {
                        result[layer].mean[c] += weight * stats.mean[c]
                        result[layer].variance[c] += weight * stats.variance[c]
                    }
                }
            }
        }
        for layer in result.indices {
            for c in 0..<result[layer].mean.count {
                result[layer].mean[c] /= total
                result[layer].variance[c] /= total
            }
        }
        return result
    }
}
