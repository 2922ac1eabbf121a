/// Instance normalization split into its two halves, for networks run in tiles: the per-channel statistics of a
/// plane, and normalization with statistics supplied from elsewhere (frozen from a whole-image pass, or a
/// neighbour-weighted average of tile statistics). With its own statistics it equals `instanceNormReLU`.
public struct ChannelStatistics: Sendable, Equatable {
    /// Mean of each channel plane.
    public var mean: [Double]
    /// Biased (population) variance of each channel plane, as PyTorch's InstanceNorm2d uses.
    public var variance: [Double]

    public init(mean: [Double], variance: [Double]) {
        self.mean = mean
        self.variance = variance
    }

    /// Mean and biased variance of every channel plane of `x` ([1, C, H, W]). Float partial sums over short runs,
    /// Double across runs, shifted by each plane's first value: fast, and accurate for large offsets.
    public init(of x: Tensor) throws {
        let (_, c, h, w) = try x.nchw("ChannelStatistics")
        let plane = h &* w
        var mean = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
        x.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return }
            mean.withUnsafeMutableBufferPointer { m in
                variance.withUnsafeMutableBufferPointer { v in
                    let box = UncheckedBox((m, v))
                    parallelChunks(c, costPerItem: plane) { channels in
                        let (m, v) = box.value
                        for channel in channels {
                            let p = base + channel &* plane
                            let shift = p[0]
                            var sum: Double = 0, squares: Double = 0
                            var i = 0
                            while i < plane {
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
                            m[channel] = Double(shift) + meanOffset
                            v[channel] = max(0, squares / Double(plane) - meanOffset * meanOffset)
                        }
                    }
                }
            }
        }
        self.init(mean: mean, variance: variance)
    }
}

extension Tensor {
    /// Normalizes every channel plane of this [1, C, H, W] tensor in place with the given statistics,
    /// (x − mean)/√(variance + eps), then ReLU when `relu`.
    public mutating func instanceNormalize(with statistics: ChannelStatistics, eps: Double = 1e-5,
                                           relu: Bool) throws {
        let (_, c, h, w) = try nchw("instanceNormalize")
        guard statistics.mean.count == c, statistics.variance.count == c else {
            throw TensorError.shapeMismatch(op: "instanceNormalize",
                                            detail: "statistics of \(statistics.mean.count) channels for \(c)")
        }
        let plane = h &* w
        let scale = statistics.variance.map { Float(1 / ($0 + eps).squareRoot()) }
        let shift = zip(statistics.mean, scale).map { Float(-$0) * $1 }
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let box = UncheckedBox(base)
            parallelChunks(c, costPerItem: plane) { channels in
                for channel in channels {
                    let p = box.value + channel &* plane
                    let a = scale[channel], b = shift[channel]
                    if relu {
                        for i in 0..<plane { p[i] = max(0, p[i] * a + b) }
                    } else {
                        for i in 0..<plane { p[i] = p[i] * a + b }
                    }
                }
            }
        }
    }
}
