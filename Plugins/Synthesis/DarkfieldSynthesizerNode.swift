import EnhancementPlugins
import StainCore
import Vips

/// `darkfield-synthesizer`: the paper's Sec. V-D synthesis of an unstained dark-field image from a stained
/// bright-field one, x = c_d⁻¹(1 − c_b(gray(y))), output as a 3-band camera-like image: the gray level times a
/// per-channel illumination tint, plus seeded Gaussian sensor noise.
public struct DarkfieldSynthesizerNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "darkfield-synthesizer",
        summary: "Synthesize a dark-field image from a stained bright-field one: x = c_d⁻¹(1 − c_b(gray(y)))",
        inputs: [
            InputPort("source", doc: "stained bright-field image y"),
            InputPort("darkfield-histogram", [.histogram, .image], optional: true,
                      doc: "measured dark-field intensities c_d (default: the built-in model, see the node reference)"),
        ],
        outputs: [OutputPort("out", bands: .fixed(3), doc: "synthetic dark-field RGB image x")],
        parameters: [
            ParameterSpec("tint-red", .float, default: .float(1.0), range: 0...2, doc: "red gain of the dark-field illumination"),
            ParameterSpec("tint-green", .float, default: .float(0.96), range: 0...2, doc: "green gain"),
            ParameterSpec("tint-blue", .float, default: .float(0.88), range: 0...2, doc: "blue gain (halogen light is warm)"),
            ParameterSpec("noise", .float, default: .float(1.5), range: 0...50, doc: "sensor noise σ in gray levels (0 = none)"),
            ParameterSpec("seed", .int, default: .int(1), range: 0...2_147_483_647, doc: "noise seed"),
        ],
        needsStatistics: true)

    let tint: [Double]
    let noise: Double
    let seed: Int

    public init(_ p: ParameterValues) throws {
        tint = [p.double("tint-red"), p.double("tint-green"), p.double("tint-blue")]
        noise = p.double("noise")
        seed = p.int("seed")
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let source = try inputs.image("source")
        let brightfield = try Luma.histogram(of: source, context, label: "statistics: bright-field histogram")
        let darkfield: Histogram
        switch inputs["darkfield-histogram"] {
        case .histogram(let h)?: darkfield = h
        case .image(let image)?: darkfield = try Luma.histogram(of: image, context, label: "statistics: dark-field histogram")
        default: darkfield = try DarkfieldModel.histogram()
        }
        let lut = HistogramMatching.lookupTable(source: brightfield, reference: darkfield, mode: .inverse)
        let gray = try Luma.of(source).call("maplut", ["lut": .image(try VipsImage.from(buffer: lut, width: 256, height: 1, bands: 1))])
        var rgb = try Vips.operation("bandjoin", ["in": .images([gray, gray, gray])]).image()
            .call("linear", ["a": .doubles(tint), "b": .doubles([0])])
        if noise > 0 {
            let grain = try Vips.operation("gaussnoise", ["width": .int(source.width), "height": .int(source.height),
                                                          "sigma": .double(noise), "mean": .double(0), "seed": .int(seed)]).image()
            rgb = try Vips.operation("add", ["left": .image(rgb), "right": .image(grain)]).image()
        }
        let out = try rgb.call("round", ["round": .enumeration("rint")]).call("cast", ["format": BandFormat.uchar.value])
        return ["out": .image(out)]
    }
}
