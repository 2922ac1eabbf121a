import NeuralKernels
import StainModels

/// The ResNet generator's inference pass (REFERENCE-SPEC §2.1) over plain tensors, with the statistics of every
/// InstanceNorm layer supplied by a `Normalizer`: its own (the reference computation) or frozen from a statistics
/// pass, so that tiles of a large image all normalize alike. Weights come from a checked `ResnetGenerator`.
struct StudentNetwork: Sendable {
    struct Layer: Sendable {
        let weight: Tensor
        let bias: Tensor?
    }

    let config: ResnetGeneratorConfig
    let head: [Layer]
    let body: [(Layer, Layer)]
    let upsample: [Layer]
    let output: Layer

    /// Instance-norm layers per pass: 3 in the head, 2 per block, 2 in the upsampling tail.
    var normLayerCount: Int { 5 + 2 * config.blocks }
    var receptiveField: ReceptiveField { .resnetGenerator(blocks: config.blocks) }

    /// Loads a weights file (paper or junyanz names) into a generator of `config`; a tensor that is missing,
    /// unexpected or of the wrong shape throws `ModelError` naming it.
    init(config: ResnetGeneratorConfig, weights path: String) throws {
        let generator = try ResnetGenerator(config: config)
        try generator.loadEitherLayout(StateDict.load(path))
        try self.init(generator)
    }

    /// Takes the weights of `generator`.
    init(_ generator: ResnetGenerator) throws {
        let dict = generator.stateDict()
        func layer(_ name: String) throws -> Layer {
            Layer(weight: try dict.tensor(name + ".weight"), bias: dict[name + ".bias"])
        }
        config = generator.config
        head = try ["model_head.1", "model_head.4", "model_head.7"].map(layer)
        body = try (0..<generator.config.blocks).map {
            (try layer("model_body.\($0).conv_block.1"), try layer("model_body.\($0).conv_block.5"))
        }
        upsample = try [layer("model_tail.0"), layer("model_tail.3")]
        output = try layer("model_tail.7")
    }

    /// x: [1, inputChannels, H, W] in [−1, 1], H and W multiples of 4 and ≥ 8 → tanh output [1, out, H, W].
    func forward(_ x: Tensor, normalizer: Normalizer) throws -> Tensor {
        func conv(_ layer: Layer, _ input: Tensor, reflect pad: Int = 0, stride: Int = 1, padding: Int = 0)
            throws -> Tensor {
            let padded = pad > 0 ? try Kernels.reflectPad(input, pad) : input
            return try Kernels.conv2d(padded, weight: layer.weight, bias: layer.bias, stride: stride, padding: padding)
        }
        var y = try conv(head[0], x, reflect: 3)
        try normalizer.normalize(&y, relu: true)
        for layer in head[1...] {
            y = try conv(layer, y, stride: 2, padding: 1)
            try normalizer.normalize(&y, relu: true)
        }
        for (first, second) in body {
            var r = try conv(first, y, reflect: 1)
            try normalizer.normalize(&r, relu: true)
            r = try conv(second, r, reflect: 1)
            try normalizer.normalize(&r, relu: false)
            try Kernels.addInPlace(&r, y)
            y = r
        }
        for layer in upsample {
            y = try Kernels.convTranspose2d(y, weight: layer.weight, bias: layer.bias, stride: 2, padding: 1,
                                            outputPadding: 1)
            try normalizer.normalize(&y, relu: true)
        }
        return Kernels.tanh(try conv(output, y, reflect: 3))
    }
}
