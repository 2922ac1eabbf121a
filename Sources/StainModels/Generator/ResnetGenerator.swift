import NeuralKernels

/// The ResNet generator of docs/paper.md ("Networks") (student G: 4→3, backward F: 3→3), with the paper's state-dict names
/// (`model_head.{1,4,7}`, `model_body.i.conv_block.{1,5}`, `model_tail.{0,3,7}`), PyTorch-default initialisation,
/// reflection padding, InstanceNorm without affine parameters, Tanh output. Differentiable through `Variable`.
public final class ResnetGenerator: StateDictModule, @unchecked Sendable {
    public let config: ResnetGeneratorConfig
    let head: [Conv2dLayer]
    let body: [(Conv2dLayer, Conv2dLayer)]
    let upsample: [ConvTranspose2dLayer]
    let output: Conv2dLayer

    /// A freshly initialised generator (PyTorch default init drawn from `seed`).
    public convenience init(config: ResnetGeneratorConfig, seed: UInt64 = 0) throws {
        try self.init(config: config, values: ParameterSource(seed: seed))
    }

    /// A generator holding the weights of `dict`, in either layout (see `loadEitherLayout(_:)`). No random values
    /// are drawn: the strict load replaces every parameter or throws.
    public convenience init(config: ResnetGeneratorConfig, weights dict: StateDict) throws {
        try self.init(config: config, values: .unset)
        try loadEitherLayout(dict)
    }

    /// The names and shapes of a generator's parameters in state-dict order, without drawing its weights: what a
    /// weights file for `config` must hold.
    public static func parameterShapes(config: ResnetGeneratorConfig) throws -> ParameterShapes {
        try ResnetGenerator(config: config, values: .unset).parameterShapes
    }

    /// Checks a weights file's names and shapes, in either layout, against a generator of `config` with the rules
    /// and errors of `loadEitherLayout(_:)`, so a file can be judged from its header before its values are read.
    public static func checkEitherLayout(_ shapes: TensorShapes, config: ResnetGeneratorConfig) throws {
        let paper = TensorShapes(try JunyanzGeneratorNames.paperLayout(shapes.items, blocks: config.blocks))
        try parameterShapes(config: config).check(paper)
    }

    init(config: ResnetGeneratorConfig, values: ParameterSource) throws {
        try config.validate()
        self.config = config
        var values = values
        let f = config.filters
        head = [
            Conv2dLayer(name: "model_head.1", inChannels: config.inputChannels, outChannels: f, kernel: 7, values: &values),
            Conv2dLayer(name: "model_head.4", inChannels: f, outChannels: 2 * f, kernel: 3, stride: 2, padding: 1,
                        values: &values),
            Conv2dLayer(name: "model_head.7", inChannels: 2 * f, outChannels: 4 * f, kernel: 3, stride: 2,
                        padding: 1, values: &values),
        ]
        body = (0..<config.blocks).map { i in
            (Conv2dLayer(name: "model_body.\(i).conv_block.1", inChannels: 4 * f, outChannels: 4 * f, kernel: 3,
                         values: &values),
             Conv2dLayer(name: "model_body.\(i).conv_block.5", inChannels: 4 * f, outChannels: 4 * f, kernel: 3,
                         values: &values))
        }
        upsample = [
            ConvTranspose2dLayer(name: "model_tail.0", inChannels: 4 * f, outChannels: 2 * f, kernel: 3, stride: 2,
                                 padding: 1, outputPadding: 1, values: &values),
            ConvTranspose2dLayer(name: "model_tail.3", inChannels: 2 * f, outChannels: f, kernel: 3, stride: 2,
                                 padding: 1, outputPadding: 1, values: &values),
        ]
        output = Conv2dLayer(name: "model_tail.7", inChannels: f, outChannels: config.outputChannels, kernel: 7,
                             values: &values)
    }

    public var parameters: [Variable] {
        head.flatMap(\.parameters) + body.flatMap { $0.0.parameters + $0.1.parameters }
            + upsample.flatMap(\.parameters) + output.parameters
    }

    /// x: [N, inputChannels, H, W] (H, W: multiples of 4, ≥ 8) → [N, out, H, W].
    public func callAsFunction(_ x: Variable) throws -> Variable {
        try checkInput(x.value)
        var y = try normRelu(head[0](reflectPad(x, 3)))
        y = try normRelu(head[1](y))
        y = try normRelu(head[2](y))
        for (conv1, conv2) in body {
            let r = try normRelu(conv1(reflectPad(y, 1)))
            y = try add(y, instanceNorm(conv2(reflectPad(r, 1))))
        }
        for up in upsample { y = try normRelu(up(y)) }
        return try tanh(output(reflectPad(y, 3)))
    }

    private func checkInput(_ x: Tensor) throws {
        let (_, c, h, w) = try x.nchw("ResnetGenerator")
        guard c == config.inputChannels else {
            throw ModelError.invalidInput("generator expects \(config.inputChannels) channels, got \(c)")
        }
        guard h >= 8, w >= 8, h % 4 == 0, w % 4 == 0 else {
            throw ModelError.invalidInput("generator needs height and width that are multiples of 4 and ≥ 8, "
                                          + "got \(h)×\(w)")
        }
    }

    /// Inference on a tensor: the same computation as `callAsFunction` on plain tensors, with in-place norms and
    /// adds (no graph, fewer fresh buffers). `normalizer`, when given, supplies every InstanceNorm layer's statistics
    /// (e.g. frozen for tiled execution); it sees the 5 + 2·blocks layers in forward order.
    public func forward(_ x: Tensor, normalizer: (any InstanceNormalizing)? = nil) throws -> Tensor {
        try checkInput(x)
        func conv(_ layer: Conv2dLayer, _ input: Tensor, reflect pad: Int = 0) throws -> Tensor {
            let padded = pad > 0 ? try Kernels.reflectPad(input, pad) : input
            return try Kernels.conv2d(padded, weight: layer.weight.value, bias: layer.bias?.value,
                                      stride: layer.stride, padding: layer.padding, dilation: layer.dilation)
        }
        var y = try conv(head[0], x, reflect: 3)
        try normalizer.normalize(&y, relu: true)
        for layer in head[1...] {
            y = try conv(layer, y)
            try normalizer.normalize(&y, relu: true)
        }
        for (conv1, conv2) in body {
            var r = try conv(conv1, y, reflect: 1)
            try normalizer.normalize(&r, relu: true)
            r = try conv(conv2, r, reflect: 1)
            try normalizer.normalize(&r, relu: false)
            try Kernels.addInPlace(&r, y)
            y = r
        }
        for up in upsample {
            y = try Kernels.convTranspose2d(y, weight: up.weight.value, bias: up.bias?.value, stride: up.stride,
                                            padding: up.padding, outputPadding: up.outputPadding)
            try normalizer.normalize(&y, relu: true)
        }
        return Kernels.tanh(try conv(output, y, reflect: 3))
    }

    /// Number of InstanceNorm layers one forward pass applies (what a normalizer is called for).
    public var instanceNormLayerCount: Int { config.instanceNormLayerCount }

    /// The weights under junyanz CycleGAN names (`model.N`).
    public func junyanzStateDict() throws -> StateDict {
        StateDict(try stateDict().items.map {
            (try JunyanzGeneratorNames.junyanzKey(forPaperKey: $0.0, blocks: config.blocks), $0.1)
        })
    }

    /// Loads a safetensors file in either layout (see `loadEitherLayout(_:)`).
    public func loadEitherLayout(contentsOf path: String) throws {
        try loadEitherLayout(StateDict.load(path))
    }

    /// Loads weights in either layout: paper names, or junyanz `model.N` names (running-stat buffers of old
    /// junyanz checkpoints are ignored).
    public func loadEitherLayout(_ dict: StateDict) throws {
        guard JunyanzGeneratorNames.isJunyanzLayout(dict.names) else { return try load(dict) }
        try load(StateDict(try JunyanzGeneratorNames.paperLayout(dict.items, blocks: config.blocks)))
    }
}

/// InstanceNorm (no affine) then ReLU in one fused pass (and one fused backward pass when recorded).
func normRelu(_ x: Variable) throws -> Variable {
    if !GradMode.isEnabled || !x.requiresGrad {
        return Variable(try Kernels.instanceNorm(x.value, fusedReLU: true))
    }
    return try instanceNormReLU(x)
}
