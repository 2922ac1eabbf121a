import NeuralKernels
import StainModels

/// The student G for tiled inference: StainModels' `ResnetGenerator` loaded from a weights file, run with a
/// `Normalizer` that supplies each InstanceNorm layer's statistics (its own, or frozen from a statistics pass).
struct StudentNetwork: Sendable {
    let generator: ResnetGenerator

    var config: ResnetGeneratorConfig { generator.config }
    var normLayerCount: Int { generator.instanceNormLayerCount }
    var receptiveField: ReceptiveField { .resnetGenerator(blocks: config.blocks) }

    /// Loads a weights file (paper or junyanz names) into a generator of `config`; a tensor that is missing,
    /// unexpected or of the wrong shape throws `ModelError` naming it.
    init(config: ResnetGeneratorConfig, weights path: String) throws {
        generator = try ResnetGenerator(config: config)
        try generator.loadEitherLayout(WeightsFile.load(path))
    }

    init(_ generator: ResnetGenerator) { self.generator = generator }

    /// x: [1, inputChannels, H, W] in [−1, 1], H and W multiples of 4 and ≥ 8 → tanh output [1, out, H, W].
    func forward(_ x: Tensor, normalizer: Normalizer) throws -> Tensor {
        try generator.forward(x, normalizer: normalizer)
    }
}
