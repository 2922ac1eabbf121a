import NeuralKernels

/// The torchvision AlexNet `features` trunk as LPIPS uses it (docs/paper.md ("Metrics")), returning the five ReLU taps:
/// conv1 11×11/4 pad 2 (3→64) · [maxpool 3/2, conv2 5×5 pad 2 (64→192)] · [maxpool, conv3 3×3 pad 1 (192→384)] ·
/// conv4 (384→256) · conv5 (256→256), each followed by ReLU. Weights use the `lpips` state_dict names.
struct LPIPSAlexNet: Sendable {
    /// One convolution: state_dict prefix, channels, kernel, stride, padding, and whether a max-pool precedes it.
    struct Layer: Sendable {
        let name: String
        let outChannels: Int
        let inChannels: Int
        let kernel: Int
        let stride: Int
        let padding: Int
        let poolBefore: Bool
    }

    static let layers: [Layer] = [
        Layer(name: "net.slice1.0", outChannels: 64, inChannels: 3, kernel: 11, stride: 4, padding: 2, poolBefore: false),
        Layer(name: "net.slice2.3", outChannels: 192, inChannels: 64, kernel: 5, stride: 1, padding: 2, poolBefore: true),
        Layer(name: "net.slice3.6", outChannels: 384, inChannels: 192, kernel: 3, stride: 1, padding: 1, poolBefore: true),
        Layer(name: "net.slice4.8", outChannels: 256, inChannels: 384, kernel: 3, stride: 1, padding: 1, poolBefore: false),
        Layer(name: "net.slice5.10", outChannels: 256, inChannels: 256, kernel: 3, stride: 1, padding: 1, poolBefore: false),
    ]

    let weights: [Tensor]
    let biases: [Tensor]

    /// Reads and shape-checks the ten trunk tensors.
    init(_ dict: StateDict) throws {
        var w = [Tensor](), b = [Tensor]()
        for l in Self.layers {
            w.append(try LPIPSWeights.tensor(dict, "\(l.name).weight", [l.outChannels, l.inChannels, l.kernel, l.kernel]))
            b.append(try LPIPSWeights.tensor(dict, "\(l.name).bias", [l.outChannels]))
        }
        weights = w
        biases = b
    }

    /// The five ReLU feature maps for an [N, 3, H, W] input (already through LPIPS's scaling layer).
    func taps(_ x: Tensor) throws -> [Tensor] {
        var h = x
        var out = [Tensor]()
        for (i, l) in Self.layers.enumerated() {
            if l.poolBefore { h = try Kernels.maxPool2d(h, kernel: 3, stride: 2) }
            h = Kernels.relu(try Kernels.conv2d(h, weight: weights[i], bias: biases[i], stride: l.stride,
                                                padding: l.padding))
            out.append(h)
        }
        return out
    }
}
