/// A seedable random generator (SplitMix64) and PyTorch-style initializers.
///
/// StainKit's one seeded generator: network initialisation (StainModels), training data streams, augmentation and
/// synthesis all draw from it, so a seed means the same numbers everywhere and a checkpoint's `state` resumes any of them.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The whole generator state: `SeededGenerator(seed: g.state)` continues exactly where `g` is (checkpoints).
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    /// A generator for one item of a stream (e.g. sample `index` of epoch `epoch`), independent of how many
    /// numbers earlier items drew: the same (seed, stream, index) always gives the same numbers.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        var mix = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mix.next() ^ (index &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    /// A uniform double in [0, 1) from the top 53 bits (the same on every platform).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Tensor {
    /// Uniform samples in [low, high).
    public static func uniform<G: RandomNumberGenerator>(_ shape: [Int], low: Float, high: Float,
                                                         using rng: inout G) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { b in
            for i in 0..<b.count { b[i] = Float.random(in: low..<max(high, low.nextUp), using: &rng) }
        }
        return t
    }

    /// Normal samples N(mean, std²) (Box–Muller).
    public static func normal<G: RandomNumberGenerator>(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                                        using rng: inout G) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { b in
            var i = 0
            while i < b.count {
                let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
                let r = (-2 * _log(u1)).squareRoot()
                b[i] = mean + std * Float(r * _cos(2 * Double.pi * u2))
                if i + 1 < b.count { b[i + 1] = mean + std * Float(r * _sin(2 * Double.pi * u2)) }
                i += 2
            }
        }
        return t
    }

    /// PyTorch's default Conv2d/ConvTranspose2d init: U(−1/√fanIn, 1/√fanIn) for weights (kaiming_uniform a=√5) and
    /// biases. fanIn = weight.size(1)·kh·kw (for ConvTranspose2d that is Cout·kh·kw, as PyTorch does).
    public static func pytorchDefaultInit<G: RandomNumberGenerator>(_ shape: [Int], fanIn: Int,
                                                                    using rng: inout G) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return uniform(shape, low: -bound, high: bound, using: &rng)
    }
}

import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
