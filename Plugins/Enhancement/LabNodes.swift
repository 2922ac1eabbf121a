import StainCore
import Vips

/// `to-lab`: 8-bit sRGB → CIE LAB (D65) as 3 float bands (L 0…100, a, b), with the paper colorizer's formulas
/// (REFERENCE-SPEC §3.1). Streams tile by tile.
public struct ToLabNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "to-lab", summary: "sRGB (8-bit) → CIE LAB D65, float bands L, a, b (paper colorizer formulas)",
        inputs: [InputPort("source", bands: [3], doc: "8-bit RGB image")],
        outputs: [OutputPort("out", bands: .fixed(3), doc: "float LAB image")])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let out = try VipsImage.generate(from: try inputs.image("source"), inputAs: UInt8.self, outputBands: 3,
                                         interpretation: .lab) { (request: TileRequest<UInt8>) -> [Float] in
            var out = [Float](repeating: 0, count: request.outputCount)
            request.input.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    var i = 0
                    while i < dst.count {
                        let (l, a, b) = LabColor.lab(r: Float(src[i]) / 255, g: Float(src[i &+ 1]) / 255,
                                                     b: Float(src[i &+ 2]) / 255)
                        dst[i] = l; dst[i &+ 1] = a; dst[i &+ 2] = b
                        i &+= 3
                    }
                }
            }
            return out
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
        let out = try VipsImage.generate(from: try inputs.image("source"), inputAs: Float.self, outputBands: 3,
                                         interpretation: .srgb) { (request: TileRequest<Float>) -> [UInt8] in
            var out = [UInt8](repeating: 0, count: request.outputCount)
            request.input.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    @inline(__always) func byte(_ v: Float) -> UInt8 { UInt8(min(max(v * 255, 0), 255).rounded()) }
                    var i = 0
                    while i < dst.count {
                        let (r, g, b) = LabColor.rgb(l: src[i], a: src[i &+ 1], b: src[i &+ 2])
                        dst[i] = byte(r); dst[i &+ 1] = byte(g); dst[i &+ 2] = byte(b)
                        i &+= 3
                    }
                }
            }
            return out
        }
        return ["out": .image(out)]
    }
}
