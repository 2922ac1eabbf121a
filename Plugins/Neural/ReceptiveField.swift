/// The receptive field of a chain of convolutions, computed exactly by walking an output pixel's dependency
/// interval back to the input, layer by layer. It gives the halo a tile needs for its centre to equal the
/// whole-image result (once instance-norm statistics are frozen, the network is purely local).
struct ReceptiveField: Sendable, Equatable {
    /// One spatial layer. Reflection padding counts like zero padding: it only widens the window.
    enum Layer: Sendable, Equatable {
        case conv(kernel: Int, stride: Int = 1, padding: Int, dilation: Int = 1)
        case convTranspose(kernel: Int, stride: Int, padding: Int)
        /// `x[:, :, ::step, ::step]`
        case subsample(step: Int)
    }

    /// Input pixels an output pixel depends on, on either side (the worst output phase).
    let radius: Int
    /// Product of the strides: tiles must start on multiples of it so every tile sees the whole image's grid.
    let alignment: Int

    init(_ layers: [Layer]) {
        var alignment = 1
        for layer in layers {
            switch layer {
            case .conv(_, let stride, _, _): alignment *= stride
            case .subsample(let step): alignment *= step
            case .convTranspose: break
            }
        }
        // Every output phase within one period of the stride product, walked back to input intervals.
        var radius = 0
        for phase in 0..<max(1, alignment) {
            var low = phase, high = phase
            for layer in layers.reversed() {
                (low, high) = ReceptiveField.inputInterval(of: layer, low, high)
            }
            radius = max(radius, phase - low, high - phase)
        }
        self.radius = radius
        self.alignment = max(1, alignment)
    }

    /// The smallest halo ≥ `radius` that is a multiple of `alignment`.
    var halo: Int { (radius + alignment - 1) / alignment * alignment }

    /// Input interval [low, high] that outputs [low, high] of `layer` read.
    static func inputInterval(of layer: Layer, _ low: Int, _ high: Int) -> (Int, Int) {
        switch layer {
        case .conv(let k, let s, let p, let d):
            return (low * s - p, high * s - p + d * (k - 1))
        case .subsample(let step):
            return (low * step, high * step)
        case .convTranspose(let k, let s, let p):
            // Output o = i·s − p + t, t ∈ 0..<k, so i ∈ [⌈(o + p − k + 1)/s⌉, ⌊(o + p)/s⌋].
            return (ceilDiv(low + p - k + 1, s), floorDiv(high + p, s))
        }
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }

    /// The ResNet generator (docs/paper.md ("Networks")) with `blocks` residual blocks; independent of filters.
    static func resnetGenerator(blocks: Int) -> ReceptiveField {
        var layers: [Layer] = [.conv(kernel: 7, padding: 3),
                               .conv(kernel: 3, stride: 2, padding: 1), .conv(kernel: 3, stride: 2, padding: 1)]
        layers += Array(repeating: .conv(kernel: 3, padding: 1), count: 2 * blocks)
        layers += [.convTranspose(kernel: 3, stride: 2, padding: 1), .convTranspose(kernel: 3, stride: 2, padding: 1),
                   .conv(kernel: 7, padding: 3)]
        return ReceptiveField(layers)
    }

    /// The teacher colorizer's main path (docs/paper.md ("Networks")); its additive shortcuts are shallower.
    static let colorizer: ReceptiveField = {
        let conv3 = Layer.conv(kernel: 3, padding: 1)
        let dilated = Layer.conv(kernel: 3, padding: 2, dilation: 2)
        let up = Layer.convTranspose(kernel: 4, stride: 2, padding: 1)
        var layers: [Layer] = [conv3, conv3, .subsample(step: 2), conv3, conv3, .subsample(step: 2), conv3, conv3, conv3,
                               .subsample(step: 2), conv3, conv3, conv3]
        layers += Array(repeating: dilated, count: 6) + [conv3, conv3, conv3]
        layers += [up, conv3, conv3, up, conv3, up, conv3, .conv(kernel: 1, padding: 0)]
        return ReceptiveField(layers)
    }()
}
