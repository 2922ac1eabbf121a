import NeuralKernels

/// The 70×70 PatchGAN discriminator of docs/paper.md ("Networks") with the paper head: the 30×30 (at 256²) patch map is
/// averaged to one score per image, shape [N, 1]. State-dict names `model.{0,2,5,8,11}` (same as junyanz).
public final class PatchDiscriminator: StateDictModule, @unchecked Sendable {
    public let config: PatchDiscriminatorConfig
    let convs: [Conv2dLayer]

    public init(config: PatchDiscriminatorConfig = .paper, seed: UInt64 = 0) throws {
        try config.validate()
        self.config = config
        var values = ParameterSource(seed: seed)
        let f = config.filters
        let plan: [(Int, Int, Int, Int)] = [(0, config.inputChannels, f, 2), (2, f, 2 * f, 2), (5, 2 * f, 4 * f, 2),
                                            (8, 4 * f, 8 * f, 1), (11, 8 * f, 1, 1)]
        convs = plan.map { index, cin, cout, stride in
            Conv2dLayer(name: "model.\(index)", inChannels: cin, outChannels: cout, kernel: 4, stride: stride,
                        padding: 1, values: &values)
        }
    }

    public var parameters: [Variable] { convs.flatMap(\.parameters) }

    /// The patch map [N, 1, h, w] before averaging (junyanz `NLayerDiscriminator` output).
    public func patchMap(_ x: Variable) throws -> Variable {
        let (_, c, h, w) = try x.value.nchw("PatchDiscriminator")
        guard c == config.inputChannels else {
            throw ModelError.invalidInput("discriminator expects \(config.inputChannels) channels, got \(c)")
        }
        _ = try config.cost(height: h, width: w)  // throws inputTooSmall naming the layer
        var y = leakyRelu(try convs[0](x), slope: 0.2)
        for conv in convs[1...3] { y = leakyRelu(try instanceNorm(conv(y)), slope: 0.2) }
        return try convs[4](y)
    }

    /// Paper head: mean of the patch map, shape [N, 1].
    public func callAsFunction(_ x: Variable) throws -> Variable {
        let m = try patchMap(x)
        return try reshape(spatialMean(m), [m.shape[0], 1])
    }
}
