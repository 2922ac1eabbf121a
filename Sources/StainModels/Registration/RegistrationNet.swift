import NeuralKernels

/// The registration network R (docs/paper.md ("Networks"); Reg-GAN `Reg` → `ResUnet`, cfg 'A'): concat(a, b) → flow
/// [N, 2, H, W] in pixels (channel 0 = row, 1 = column displacement). State-dict keys under `offset_map.`.
/// Init as Reg-GAN: convs followed by LeakyReLU(0.2) kaiming_normal(a = 0.2), ResnetBlock convs kaiming_normal
/// (ReLU), biases 0, and the output conv N(0, 1e-5) so that φ ≈ 0 at the start.
public final class RegistrationNet: StateDictModule, @unchecked Sendable {
    public let config: RegistrationConfig
    let down: [(conv: Conv2dLayer, block: ResnetBlock)]
    let c1: Conv2dLayer, bottleneck: [ResnetBlock], c2: Conv2dLayer
    let up: [Conv2dLayer]               // up_n … up_1
    let refineBlock: ResnetBlock, refineConv: Conv2dLayer
    let output: Conv2dLayer

    /// A freshly initialised R (Reg-GAN's init, drawn from `seed`).
    public convenience init(config: RegistrationConfig = .paper, seed: UInt64 = 0) throws {
        try self.init(config: config, values: ParameterSource(seed: seed))
    }

    /// An R holding the weights of `dict` (strict). No random values are drawn: the load replaces every parameter
    /// or throws.
    public convenience init(config: RegistrationConfig, weights dict: StateDict) throws {
        try self.init(config: config, values: .unset)
        try load(dict)
    }

    /// The names and shapes of R's parameters in state-dict order, without drawing its weights: what a weights
    /// file for `config` must hold.
    public static func parameterShapes(config: RegistrationConfig) throws -> ParameterShapes {
        try RegistrationNet(config: config, values: .unset).parameterShapes
    }

    init(config: RegistrationConfig, values: ParameterSource) throws {
        try config.validate()
        self.config = config
        var values = values
        func leaky(_ name: String, _ cin: Int, _ cout: Int, kernel: Int) -> Conv2dLayer {
            let shape = [cout, cin, kernel, kernel]
            return Conv2dLayer(name: name, inChannels: cin, outChannels: cout, kernel: kernel, padding: kernel / 2,
                               weightInit: .kaimingNormal(weightShape: shape, negativeSlope: 0.2), biasInit: .zeros,
                               values: &values)
        }
        var c = config.inputChannelsA + config.inputChannelsB
        var skipChannels: [Int] = []
        var down: [(Conv2dLayer, ResnetBlock)] = []
        for (i, out) in config.downFilters.enumerated() {
            let prefix = "offset_map.down_\(i + 1).conv_0"
            let conv = leaky("\(prefix).conv2d", c, out, kernel: 3)
            down.append((conv, ResnetBlock(name: "\(prefix).resnet_block.model.0", channels: out, values: &values)))
            skipChannels.append(out)
            c = out
        }
        self.down = down
        c1 = leaky("offset_map.c1.conv2d", c, 2 * c, kernel: 1)
        bottleneck = (0..<config.bottleneckBlocks).map {
            ResnetBlock(name: "offset_map.t.model.\($0)", channels: 2 * c, values: &values)
        }
        c2 = leaky("offset_map.c2.conv2d", 2 * c, c, kernel: 1)
        var up: [Conv2dLayer] = []
        for (i, out) in config.upFilters.enumerated() {
            let k = config.depth - i
            up.append(leaky("offset_map.up_\(k).conv2d", c + skipChannels[k - 1], out, kernel: 3))
            c = out
        }
        self.up = up
        refineBlock = ResnetBlock(name: "offset_map.refine.0.model.0", channels: c, values: &values)
        refineConv = leaky("offset_map.refine.1.conv2d", c, c, kernel: 1)
        output = Conv2dLayer(name: "offset_map.output.conv2d", inChannels: c, outChannels: 2, kernel: 3, padding: 1,
                             weightInit: .normal(std: 1e-5), biasInit: .zeros, values: &values)
    }

    public var parameters: [Variable] {
        down.flatMap { $0.conv.parameters + $0.block.parameters } + c1.parameters
            + bottleneck.flatMap(\.parameters) + c2.parameters + up.flatMap(\.parameters)
            + refineBlock.parameters + refineConv.parameters + output.parameters
    }

    /// φ = R(a, b): a [N, A, H, W] (the generated image), b [N, B, H, W] (the real one) → [N, 2, H, W].
    /// H and W must be at least `config.minimumInputSize` (256 for the paper's 7 levels).
    public func callAsFunction(_ a: Variable, _ b: Variable) throws -> Variable {
        let (na, ca, h, w) = try a.value.nchw("RegistrationNet")
        let (nb, cb, hb, wb) = try b.value.nchw("RegistrationNet")
        guard ca == config.inputChannelsA, cb == config.inputChannelsB, na == nb, h == hb, w == wb else {
            throw ModelError.invalidInput("registration expects a [N,\(config.inputChannelsA),H,W] and b "
                                          + "[N,\(config.inputChannelsB),H,W], got \(a.shape) and \(b.shape)")
        }
        try config.checkInputSize(height: h, width: w)
        var x = try concatChannels([a, b])
        var skips: [Variable] = []
        for level in down {
            let skip = try level.block(leakyRelu(level.conv(x), slope: 0.2))
            skips.append(skip)
            x = try maxPool2d(skip, kernel: 2)
        }
        x = leakyRelu(try c1(x), slope: 0.2)
        for block in bottleneck { x = try block(x) }
        x = leakyRelu(try c2(x), slope: 0.2)
        for (i, conv) in up.enumerated() {
            let skip = skips[config.depth - 1 - i]
            x = try resizeBilinear(x, height: skip.shape[2], width: skip.shape[3], alignCorners: false)
            x = leakyRelu(try conv(concatChannels([x, skip])), slope: 0.2)
        }
        x = leakyRelu(try refineConv(refineBlock(x)), slope: 0.2)
        return try output(x)
    }
}

/// x + [ReflPad1, Conv3, IN, ReLU, ReflPad1, Conv3, IN](x), keys `<name>.conv_block.{1,5}`, kaiming_normal (ReLU)
/// weights and zero biases (Reg-GAN `ResnetTransformer` init).
final class ResnetBlock: @unchecked Sendable {
    let conv1: Conv2dLayer, conv2: Conv2dLayer

    init(name: String, channels c: Int, values: inout ParameterSource) {
        let shape = [c, c, 3, 3]
        conv1 = Conv2dLayer(name: "\(name).conv_block.1", inChannels: c, outChannels: c, kernel: 3,
                            weightInit: .kaimingNormal(weightShape: shape, negativeSlope: 0), biasInit: .zeros,
                            values: &values)
        conv2 = Conv2dLayer(name: "\(name).conv_block.5", inChannels: c, outChannels: c, kernel: 3,
                            weightInit: .kaimingNormal(weightShape: shape, negativeSlope: 0), biasInit: .zeros,
                            values: &values)
    }

    var parameters: [Variable] { conv1.parameters + conv2.parameters }

    func callAsFunction(_ x: Variable) throws -> Variable {
        let r = try normRelu(conv1(reflectPad(x, 1)))
        return try add(x, instanceNorm(conv2(reflectPad(r, 1))))
    }
}
