import NeuralKernels
import StainModels

/// The teacher colorizer's inference pass (REFERENCE-SPEC §3.2) over plain tensors, with the statistics of its 9
/// InstanceNorm layers supplied by a `Normalizer` (own or frozen), plus the LAB colour wrapper (§3.1).
/// Weights come from a checked `SIGGRAPHColorizer`.
struct ColorizerNetwork: Sendable {
    struct Layer: Sendable {
        let weight: Tensor
        let bias: Tensor?
        var padding = 1
        var dilation = 1
    }

    /// Convolutions of model1 … model7, in order; the blocks' dilations follow REFERENCE-SPEC §3.2.
    let encoder: [[Layer]]
    let model8up: Layer, model3short8: Layer, model8: [Layer]
    let model9up: Layer, model2short9: Layer, model9: Layer
    let model10up: Layer, model1short10: Layer, model10: Layer
    let modelOut: Layer

    static let normLayerCount = 9
    static let encoderConvs = [2, 2, 3, 3, 3, 3, 3]

    /// Loads a weights file (a DataParallel `module.` prefix is stripped); a tensor that is missing, unexpected
    /// or of the wrong shape throws `ModelError` naming it.
    init(weights path: String) throws {
        let colorizer = SIGGRAPHColorizer()
        try colorizer.load(contentsOf: path, stripModulePrefix: true)
        try self.init(colorizer)
    }

    init(_ colorizer: SIGGRAPHColorizer) throws {
        let dict = colorizer.stateDict()
        func layer(_ name: String, padding: Int = 1, dilation: Int = 1) throws -> Layer {
            Layer(weight: try dict.tensor(name + ".weight"), bias: dict[name + ".bias"], padding: padding,
                  dilation: dilation)
        }
        encoder = try ColorizerNetwork.encoderConvs.enumerated().map { block, count in
            let dilation = block == 4 || block == 5 ? 2 : 1
            return try (0..<count).map { try layer("model\(block + 1).\(2 * $0)", padding: dilation, dilation: dilation) }
        }
        model8up = try layer("model8up.0")
        model3short8 = try layer("model3short8.0")
        model8 = try [layer("model8.1"), layer("model8.3")]
        model9up = try layer("model9up.0")
        model2short9 = try layer("model2short9.0")
        model9 = try layer("model9.1")
        model10up = try layer("model10up.0")
        model1short10 = try layer("model1short10.0")
        model10 = try layer("model10.1")
        modelOut = try layer("model_out.0", padding: 0)
    }

    /// RGB in [−1, 1] ([1, 3, H, W], H and W multiples of 8) → RGB in [−1, 1] (no upper clamp), like the teacher.
    func forward(rgb: Tensor, normalizer: Normalizer) throws -> Tensor {
        let (_, _, h, w) = try rgb.nchw("colorizer")
        let l = try SIGGRAPHColorizer.lightness(rgb)
        let zero = Tensor(zeros: l.shape)
        let ab = try network(Kernels.concatChannels([l, zero, zero]), normalizer: normalizer)
        var out = Tensor(uninitializedShape: [1, 3, h, w])
        out.withUnsafeMutableBufferPointer { o in
            LabColor.rgb(lightness: l.unsafePointer, ab: ab.unsafePointer, into: o.baseAddress!, batch: 1,
                         pixels: h * w)
        }
        return out
    }

    /// (l, 0, 0) → tanh ab [1, 2, H, W].
    func network(_ input: Tensor, normalizer: Normalizer) throws -> Tensor {
        func conv(_ layer: Layer, _ x: Tensor) throws -> Tensor {
            try Kernels.conv2d(x, weight: layer.weight, bias: layer.bias, padding: layer.padding,
                               dilation: layer.dilation)
        }
        func up(_ layer: Layer, _ x: Tensor) throws -> Tensor {
            try Kernels.convTranspose2d(x, weight: layer.weight, bias: layer.bias, stride: 2, padding: 1)
        }
        var features: [Tensor] = []
        var x = input
        for (b, block) in encoder.enumerated() {
            if (1...3).contains(b) { x = try Kernels.subsample(x, step: 2) }
            for layer in block {
                x = try conv(layer, x)
                Kernels.reluInPlace(&x)
            }
            try normalizer.normalize(&x, relu: false)
            features.append(x)
        }
        x = try up(model8up, x)
        try Kernels.addInPlace(&x, conv(model3short8, features[2]))
        for layer in model8 {
            Kernels.reluInPlace(&x)
            x = try conv(layer, x)
        }
        Kernels.reluInPlace(&x)  // IN follows the block's last ReLU
        try normalizer.normalize(&x, relu: false)
        x = try up(model9up, x)
        try Kernels.addInPlace(&x, conv(model2short9, features[1]))
        Kernels.reluInPlace(&x)
        x = try conv(model9, x)
        Kernels.reluInPlace(&x)
        try normalizer.normalize(&x, relu: false)
        x = try up(model10up, x)
        try Kernels.addInPlace(&x, conv(model1short10, features[0]))
        Kernels.reluInPlace(&x)
        x = Kernels.leakyRelu(try conv(model10, x), slope: 0.2)
        return Kernels.tanh(try conv(modelOut, x))
    }
}
