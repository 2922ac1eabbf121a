import StainCore
import StainModels
import Vips

/// `to-lab`: 8-bit sRGB → CIE LAB (D65) as 3 float bands (L 0…100, a, b), with the paper colorizer's formulas
/// (docs/paper.md ("Networks")). Streams tile by tile.
public struct ToLabNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "to-lab", summary: "sRGB (8-bit) → CIE LAB D65, float bands L, a, b (paper colorizer formulas)",
        inputs: [InputPort("source", bands: [3], doc: "8-bit RGB image")],
        outputs: [OutputPort("out", bands: .fixed(3), doc: "float LAB image")])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let out = try PixelTriples.map(try inputs.image("source"), from: UInt8.self, interpretation: .lab) {
            (r: UInt8, g: UInt8, b: UInt8) -> (Float, Float, Float) in
            LabColor.lab(r: Float(r) / 255, g: Float(g) / 255, b: Float(b) / 255)
        }
        return ["out": .image(out)]
    }
}

/// `from-lab`: CIE LAB float bands → 8-bit sRGB (clamped to 0…255, rounded), the inverse of `to-lab`.
public struct FromLabNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "from-lab", summary: "CIE LAB D65 float bands → 8-bit sRGB (paper colorizer formulas)",
        inputs: [InputPort("source", bands: [3], doc: "LAB image (L 0…100, a, b)")],
        outputs: [OutputPort("out", bands: .fixed(3), doc: "8-bit RGB image")])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let out = try PixelTriples.map(try inputs.image("source"), from: Float.self, interpretation: .srgb) {
            (l: Float, a: Float, b: Float) -> (UInt8, UInt8, UInt8) in
            @inline(__always) func byte(_ v: Float) -> UInt8 { UInt8(min(max(v * 255, 0), 255).rounded()) }
            let (r, g, bl) = LabColor.rgb(l: l, a: a, b: b)
            return (byte(r), byte(g), byte(bl))
        }
        return ["out": .image(out)]
    }
}

/// Streams a per-pixel function of 3-band pixels over an image, tile by tile.
enum PixelTriples {
    static func map<In: VipsPixel, Out: VipsPixel>(
        _ image: VipsImage, from: In.Type, interpretation: Interpretation,
        _ convert: @escaping @Sendable (In, In, In) -> (Out, Out, Out)
    ) throws -> VipsImage {
        try VipsImage.generate(from: image, inputAs: In.self, outputBands: 3, interpretation: interpretation) {
            (request: TileRequest<In>) -> [Out] in
            var out = [Out](repeating: .zero, count: request.outputCount)
            request.input.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    var i = 0
                    while i < dst.count {
                        (dst[i], dst[i &+ 1], dst[i &+ 2]) = convert(src[i], src[i &+ 1], src[i &+ 2])
                        i &+= 3
                    }
                }
            }
            return out
        }
    }
}
