import StainCore
import Vips

/// The paper's synthesis of an unstained dark-field image from a stained bright-field one (Sec. V-D),
/// x = c_d⁻¹(1 − c_b(gray(y))), as a 3-band camera-like image: the gray level times a per-channel illumination
/// tint, plus seeded Gaussian sensor noise. Used by the `darkfield-synthesizer` node and `stain dataset synth`.
public struct DarkfieldSynthesis: Sendable {
    /// Red, green and blue gains of the dark-field illumination (halogen light is warm).
    public var tint: [Double]
    /// Sensor noise σ in gray levels (0 = none).
    public var noise: Double
    public var seed: Int

    public init(tint: [Double] = [1.0, 0.96, 0.88], noise: Double = 1.5, seed: Int = 1) {
        self.tint = tint
        self.noise = noise
        self.seed = seed
    }

    /// x for a bright-field image y; `darkfield` is the dark-field intensity distribution c_d (the built-in model
    /// when nil). One statistics pass over y (its histogram), then the mapping streams.
    public func synthesize(_ source: VipsImage, darkfield: Histogram? = nil, _ context: RunContext) throws -> VipsImage {
        let brightfield = try Luma.histogram(of: source, context, label: "statistics: bright-field histogram")
        let lut = HistogramMatching.lookupTable(source: brightfield, reference: try darkfield ?? DarkfieldModel.histogram(),
                                                mode: .inverse)
        let gray = try HistogramMatching.apply(lut, to: Luma.of(source))
        var rgb = try Vips.operation("bandjoin", ["in": .images([gray, gray, gray])]).image()
            .call("linear", ["a": .doubles(tint), "b": .doubles([0])])
        if noise > 0 {
            let grain = try Vips.operation("gaussnoise", ["width": .int(source.width), "height": .int(source.height),
                                                          "sigma": .double(noise), "mean": .double(0), "seed": .int(seed)]).image()
            rgb = try Vips.operation("add", ["left": .image(rgb), "right": .image(grain)]).image()
        }
        return try rgb.call("round", ["round": .enumeration("rint")]).call("cast", ["format": BandFormat.uchar.value])
    }
}
