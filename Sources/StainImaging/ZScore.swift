import StainCore
import Vips

/// The paper's swap-in enhancement: a per-image z-score of the luma, z = (L − μ)/σ over the whole image (population
/// σ), mapped to 8 bits as out = clip(round(127.5 + 127.5·z/k), 0, 255), so ±k σ spans 0…255. Used by the
/// `zscore-normalizer` node and the training tools' `enhancement: zscore`.
public struct ZScore: Sendable {
    /// k: z = ±k maps to 0 and 255.
    public var clip: Double
    /// Use −z (dark-field → bright-field polarity).
    public var invert: Bool

    public init(clip: Double = 3, invert: Bool = true) {
        self.clip = clip
        self.invert = invert
    }

    /// One statistics pass over the luma (mean and deviation), then a streamed linear map.
    public func normalize(_ image: VipsImage, _ context: RunContext) throws -> VipsImage {
        let gray = try Luma.of(image)
        context.progress.begin("statistics: mean and deviation")
        let stats = try ProgressMonitor.observe(gray, context) { try gray.call("stats") }
        context.progress.end()
        // Row 0 of vips `stats`: min, max, sum, sum of squares, mean, deviation, …
        let row = try stats.pixels(as: Double.self)
        let n = Double(gray.width * gray.height)
        let mean = row[2] / n
        let sigma = max((row[3] / n - mean * mean).squareRoot(), 1e-6)
        let scale = (invert ? -127.5 : 127.5) / (clip * sigma)
        let out = try gray.call("linear", ["a": .doubles([scale]), "b": .doubles([127.5 - mean * scale])])
            .call("round", ["round": .enumeration("rint")])
            .call("cast", ["format": BandFormat.uchar.value])
        return out
    }
}
