import NeuralKernels
import StainModels

/// The teacher colorizer for tiled inference: StainModels' `SIGGRAPHColorizer` (with its LAB wrapper) loaded from a
/// weights file, run with a `Normalizer` that supplies its 9 InstanceNorm layers' statistics (own or frozen).
struct ColorizerNetwork: Sendable {
    let colorizer: SIGGRAPHColorizer

    static let normLayerCount = SIGGRAPHColorizer.instanceNormLayerCount

    /// Checks a weights file's header against the colorizer it describes without reading its values (a
    /// DataParallel `module.` prefix is stripped; the width, the channels of the first block, is read from the
    /// header, so scaled teachers load as they are); a tensor that is missing, unexpected or of the wrong shape
    /// throws `ModelError` naming it.
    static func check(weights path: String) throws {
        try SIGGRAPHColorizer.check(WeightsFile.shapes(path), stripModulePrefix: true)
    }

    /// The colorizer `weights` describe, holding them, with the errors of `check`.
    init(weights: StateDict) throws {
        colorizer = try SIGGRAPHColorizer(weights: weights, stripModulePrefix: true)
    }

    init(_ colorizer: SIGGRAPHColorizer) { self.colorizer = colorizer }

    /// RGB in [−1, 1] ([1, 3, H, W], H and W multiples of 8) → RGB in [−1, 1] (no upper clamp), like the teacher.
    func forward(rgb: Tensor, normalizer: Normalizer) throws -> Tensor {
        try colorizer.forward(rgb, normalizer: normalizer)
    }
}
