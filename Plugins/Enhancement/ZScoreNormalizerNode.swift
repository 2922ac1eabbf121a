import StainCore
import Vips

/// `zscore-normalizer`: the paper's swap-in enhancement. Per-image z-score of the luma, z = (L − μ)/σ over the whole
/// image (population σ), mapped to 8 bits as out = clip(round(127.5 + 127.5·z/k), 0, 255): ±k σ spans 0…255.
public struct ZScoreNormalizerNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "zscore-normalizer",
        summary: "Z-score normalization of the luma (per image), rescaled to 8 bits with ±k σ → 0…255",
        inputs: [InputPort("source", doc: "image to normalize")],
        outputs: [OutputPort("out", bands: .fixed(1), doc: "normalized 8-bit gray image")],
        parameters: [
            ParameterSpec("clip", .float, default: .float(3), range: 0.1...100,
                          doc: "k: z = ±k maps to 0 and 255; beyond is clipped"),
            ParameterSpec("invert", .bool, default: .bool(false),
                          doc: "use −z (dark-field → bright-field polarity)"),
        ],
        needsStatistics: true)

    let clip: Double
    let invert: Bool

    public init(_ p: ParameterValues) throws {
        clip = p.double("clip")
        invert = p.bool("invert")
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let gray = try Luma.of(try inputs.image("source"))
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
        return ["out": .image(out)]
    }
}
