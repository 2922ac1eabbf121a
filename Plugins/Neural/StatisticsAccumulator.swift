import Foundation
import NeuralKernels

/// The part of a tile's network input that the tile owns (its output rectangle, without halo), in input pixels.
/// Tile centres partition the (alignment-padded) image, so sums over them add up to whole-image sums.
struct TileCentre: Sendable {
    let left: Int, top: Int, right: Int, bottom: Int
    /// Size of the network input the centre lies in.
    let inputWidth: Int, inputHeight: Int
}

/// Sums of one instance-norm layer's input over tile centres: one pass over all tiles gives that layer's
/// whole-image statistics without ever holding the whole image. Thread-safe.
final class StatisticsAccumulator: @unchecked Sendable {
    private let lock = NSLock()
    private var sums: [Double] = [], squares: [Double] = [], count: Double = 0

    /// Adds the centre region of the layer's input `x` ([1, C, h, w], at `w / centre.inputWidth` of the input
    /// resolution).
    func add(_ x: Tensor, centre: TileCentre) throws {
        let c = x.shape[1], h = x.shape[2], w = x.shape[3]
        func scaled(_ v: Int, _ size: Int, _ full: Int) throws -> Int {
            guard (v * size) % full == 0 else {
                throw NeuralNodeError("tile centre edge \(v) does not fall on the layer grid (\(size)/\(full))")
            }
            return v * size / full
        }
        let left = try scaled(centre.left, w, centre.inputWidth), right = try scaled(centre.right, w, centre.inputWidth)
        let top = try scaled(centre.top, h, centre.inputHeight)
        let bottom = try scaled(centre.bottom, h, centre.inputHeight)
        guard right > left, bottom > top else { return }
        var sum = [Double](repeating: 0, count: c), square = [Double](repeating: 0, count: c)
        x.withUnsafeBufferPointer { values in
            for channel in 0..<c {
                var s: Double = 0, q: Double = 0
                for row in top..<bottom {
                    let line = (channel &* h &+ row) &* w
                    var rowSum: Float = 0, rowSquares: Float = 0
                    for column in left..<right {
                        let v = values[line &+ column]
                        rowSum += v
                        rowSquares += v * v
                    }
                    s += Double(rowSum)
                    q += Double(rowSquares)
                }
                sum[channel] = s
                square[channel] = q
            }
        }
        lock.lock()
        defer { lock.unlock() }
        if sums.isEmpty {
            sums = sum
            squares = square
        } else {
            guard sums.count == c else { throw NeuralNodeError("layer channel count changed between tiles") }
            sums = zip(sums, sum).map(+)
            squares = zip(squares, square).map(+)
        }
        count += Double((right - left) * (bottom - top))
    }

    /// Mean and biased variance of the layer's input over everything added.
    func statistics() throws -> ChannelStatistics {
        lock.lock()
        defer { lock.unlock() }
        guard count > 0 else { throw NeuralNodeError("no statistics were gathered") }
        let mean = sums.map { $0 / count }
        return ChannelStatistics(mean: mean, variance: zip(squares, mean).map { max(0, $0 / count - $1 * $1) })
    }
}
