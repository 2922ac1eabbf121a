import Foundation
import NeuralKernels
import StainModels

/// How the InstanceNorm layers of a network get their statistics during one forward pass.
enum NormStatisticsSource: Sendable {
    /// Each layer normalizes with the statistics of the tensor it sees (PyTorch's instance norm).
    case own
    /// Each layer normalizes with given statistics (frozen from a statistics pass), one entry per IN layer.
    case frozen([ChannelStatistics])
}

/// Applies instance normalization layer by layer with the chosen statistics, and records what it used.
final class Normalizer: InstanceNormalizing {
    let source: NormStatisticsSource
    let eps: Double = 1e-5
    /// The statistics used by each IN layer so far, in forward order.
    private(set) var used: [ChannelStatistics] = []
    /// When set, the input of IN layer `stopLayer` over the tile centre is added to the accumulator, and the pass
    /// ends there with `StopForward` (later layers are not needed for that layer's statistics).
    var accumulation: (accumulator: StatisticsAccumulator, centre: TileCentre, stopLayer: Int)?

    init(_ source: NormStatisticsSource) { self.source = source }

    /// Normalizes `x` ([1, C, H, W]) in place as IN layer number `used.count`, with ReLU when `relu`.
    func normalize(_ x: inout Tensor, relu: Bool) throws {
        let (n, c, _, _) = try x.nchw("Normalizer")
        guard n == 1 else { throw NeuralNodeError("normalization expects one image per pass, got \(n)") }
        let layer = used.count
        if let (accumulator, centre, stopLayer) = accumulation, layer == stopLayer {
            try accumulator.add(x, centre: centre)
            throw StopForward()
        }
        let stats: ChannelStatistics
        switch source {
        case .own:
            stats = try ChannelStatistics(of: x)
        case .frozen(let layers):
            guard layer < layers.count else {
                throw NeuralNodeError("frozen statistics hold \(layers.count) layers; layer \(layer) has none")
            }
            stats = layers[layer]
            guard stats.mean.count == c else {
                throw NeuralNodeError("frozen statistics of layer \(layer) have \(stats.mean.count) channels, "
                                      + "the tensor has \(c)")
            }
        }
        used.append(stats)
        try x.instanceNormalize(with: stats, eps: eps, relu: relu)
    }
}

/// Ends a forward pass early, once the layer whose statistics are being gathered has been summed.
struct StopForward: Error {}

/// A failure inside the network nodes.
struct NeuralNodeError: Error, CustomStringConvertible, Sendable {
    let description: String
    init(_ description: String) { self.description = description }
}
