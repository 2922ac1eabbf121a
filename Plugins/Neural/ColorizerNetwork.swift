import NeuralKernels
import StainModels

/// The teacher colorizer for tiled inference: StainModels' `SIGGRAPHColorizer` (with its LAB wrapper) loaded from a
/// weights file, run with a `Normalizer` that supplies its 9 InstanceNorm layers' statistics (own or frozen).
struct ColorizerNetwork: Sendable {
    let colorizer: SIGGRAPHColorizer

    static let normLayerCount = SIGGRAPHColorizer.instanceNormLayerCount

    /// Loads a weights file (a DataParallel `module.` prefix is stripped); a tensor that is missing, unexpected
    /// or of the wrong shape throws `ModelError` naming it.
    /// The width (channels of the first block) is read from the weights, so scaled teachers load as they are.
    init(weights path: String) throws {
        let dict = try WeightsFile.load(path)
        colorizer = SIGGRAPHColorizer(width: try SIGGRAPHColorizer.width(of: dict))
        try colorizer.load(dict, stripModulePrefix: true)
    }

    init(_ colorizer: SIGGRAPHColorizer) { self.colorizer = colorizer }

    /// RGB in [−1, 1] ([1, 3, H, W], H and W multiples of 8) → RGB in [−1, 1] (no upper clamp), like the teacher.
    func forward(rgb: Tensor, normalizer: Normalizer) throws -> Tensor {
        try colorizer.forward(rgb, normalizer: normalizer)
    }
}
