import NeuralKernels
import StainModels

/// The student G for tiled inference: StainModels' `ResnetGenerator` loaded from a weights file, run with a
/// `Normalizer` that supplies each InstanceNorm layer's statistics (its own, or frozen from a statistics pass).
struct StudentNetwork: Sendable {
    let generator: ResnetGenerator

    var config: ResnetGeneratorConfig { generator.config }
    var normLayerCount: Int { generator.instanceNormLayerCount }
    var receptiveField: ReceptiveField { .resnetGenerator(blocks: config.blocks) }

    /// Checks a weights file's header (paper or junyanz names) against a generator of `config` without reading
    /// its values; a tensor that is missing, unexpected or of the wrong shape throws `ModelError` naming it.
    static func check(config: ResnetGeneratorConfig, weights path: String) throws {
        try ResnetGenerator.checkEitherLayout(WeightsFile.shapes(path), config: config)
    }

    /// A generator of `config` holding `weights` (paper or junyanz names), with the errors of `check`.
    init(config: ResnetGeneratorConfig, weights: StateDict) throws {
        generator = try ResnetGenerator(config: config, weights: weights)
    }

    init(_ generator: ResnetGenerator) { self.generator = generator }

    /// x: [1, inputChannels, H, W] in [−1, 1], H and W multiples of 4 and ≥ 8 → tanh output [1, out, H, W].
    func forward(_ x: Tensor, normalizer: Normalizer) throws -> Tensor {
        try generator.forward(x, normalizer: normalizer)
    }
}
