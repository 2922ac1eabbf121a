import Dispatch
import Foundation
import NeuralKernels
import StainModels

/// Per-channel statistics of one InstanceNorm layer: mean and biased variance over the spatial plane.
struct LayerStatistics: Sendable, Equatable {
    var mean: [Double]
    var variance: [Double]
}

/// How the InstanceNorm layers of a network get their statistics during one forward pass.
enum NormStatisticsSource: Sendable {
    /// Each layer normalizes with the statistics of the tensor it sees (PyTorch's instance norm).
    case own
    /// Each layer normalizes with given statistics (frozen from a statistics pass), one entry per IN layer.
    case frozen([LayerStatistics])
}

/// Applies instance normalization layer by layer with the chosen statistics, and records what it used.
final class Normalizer: InstanceNormalizing {
    let source: NormStatisticsSource
    let eps: Double = 1e-5
    /// The statistics used by each IN layer so far, in forward order.
    private(set) var used: [LayerStatistics] = []
    /// When set, the input of IN layer `stopLayer` over the tile centre is added to the accumulator, and the pass
    /// ends there with `StopForward` (later layers are not needed for that layer's statistics).
    var accumulation: (accumulator: StatisticsAccumulator, centre: TileCentre, stopLayer: Int)?

    init(_ source: NormStatisticsSource) { self.source = source }

    /// Normalizes `x` ([1, C, H, W]) in place as IN layer number `used.count`, with ReLU when `relu`.
    func normalize(_ x: inout Tensor, relu: Bool) throws {
        let (n, c, h, w) = try x.nchw("Normalizer")
        guard n == 1 else { throw NeuralNodeError("normalization expects one image per pass, got \(n)") }
        let layer = used.count
        if let (accumulator, centre, stopLayer) = accumulation, layer == stopLayer {
            try accumulator.add(x, centre: centre)
            throw StopForward()
        }
        let stats: LayerStatistics
        switch source {
        case .own:
            stats = Normalizer.statistics(of: x)
        case .frozen(let layers):
            guard layer < layers.count else {
                throw NeuralNodeError("frozen statistics hold \(layers.count) layers; layer \(layer) has none")
            }
            stats = layers[layer]
            guard stats.mean.count == c, stats.variance.count == c else {
                throw NeuralNodeError("frozen statistics of layer \(layer) have \(stats.mean.count) channels, "
                                      + "the tensor has \(c)")
            }
        }
        used.append(stats)
        let plane = h &* w
        let scale = stats.variance.map { Float(1 / ($0 + eps).squareRoot()) }
        let shift = zip(stats.mean, scale).map { Float(-$0) * $1 }
        x.withUnsafeMutableBufferPointer { buffer in
            let base = UncheckedPointer(buffer.baseAddress!)
            Normalizer.forEachChannel(c, work: plane) { channel in
                let p = base.pointer + channel &* plane
                let a = scale[channel], b = shift[channel]
                if relu {
                    for i in 0..<plane { p[i] = max(0, p[i] * a + b) }
                } else {
                    for i in 0..<plane { p[i] = p[i] * a + b }
                }
            }
        }
    }

    /// Mean and biased variance of every channel plane of `x` ([1, C, H, W]), accumulated in Double.
    static func statistics(of x: Tensor) -> LayerStatistics {
        let c = x.shape[1], plane = x.shape[2] &* x.shape[3]
        var mean = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
        let base = UncheckedPointer(UnsafeMutablePointer(mutating: x.unsafePointer))
        mean.withUnsafeMutableBufferPointer { m in
            variance.withUnsafeMutableBufferPointer { v in
                let out = UncheckedPointer(m.baseAddress!), outVariance = UncheckedPointer(v.baseAddress!)
                forEachChannel(c, work: plane) { channel in
                    let p = base.pointer + channel &* plane
                    // Shifted sums by the first value keep the variance accurate for large offsets.
                    let shift = p[0]
                    var sum: Double = 0, squares: Double = 0
                    var i = 0
                    while i < plane {
                        // Float partial sums over short runs, Double across runs: fast and accurate.
                        let end = min(plane, i &+ 256)
                        var s: Float = 0, q: Float = 0
                        while i < end {
                            let d = p[i] - shift
                            s += d
                            q += d * d
                            i &+= 1
                        }
                        sum += Double(s)
                        squares += Double(q)
                    }
                    let meanOffset = sum / Double(plane)
                    out.pointer[channel] = Double(shift) + meanOffset
                    outVariance.pointer[channel] = max(0, squares / Double(plane) - meanOffset * meanOffset)
                }
            }
        }
        return LayerStatistics(mean: mean, variance: variance)
    }

    /// Runs `body` for every channel, in parallel across `ComputeThreads.count` workers when the work is large.
    static func forEachChannel(_ channels: Int, work: Int, _ body: (Int) -> Void) {
        let threads = min(ComputeThreads.count, channels)
        if threads <= 1 || channels &* work < 262_144 {
            for channel in 0..<channels { body(channel) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(body)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                for channel in stride(from: t, to: channels, by: threads) { box.body(channel) }
            }
        }
    }
}

/// A raw pointer handed to parallel workers that write disjoint parts.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

private struct UncheckedBody: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

/// Ends a forward pass early, once the layer whose statistics are being gathered has been summed.
struct StopForward: Error {}

/// A failure inside the network nodes.
struct NeuralNodeError: Error, CustomStringConvertible, Sendable {
    let description: String
    init(_ description: String) { self.description = description }
}
