import StainCore
import StainImaging
import StainModels

/// `from-lab`: CIE LAB float bands → 8-bit sRGB (clamped to 0…255, rounded), the inverse of `to-lab`.
public struct FromLabNode: StainNode {
    public static let name = "from-lab"
    public static let summary = "CIE LAB D65 float bands → 8-bit sRGB (paper colorizer formulas)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", bands: [3], doc: "LAB image (L 0…100, a, b)")
        let out = OutputPort("out", bands: .fixed(3), doc: "8-bit RGB image")
    }

    public init(_ p: Configuration<Declaration>) throws {}

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let out = try PixelTriples.map(try inputs.image(\.source), from: Float.self, interpretation: .srgb) {
            (l: Float, a: Float, b: Float) -> (UInt8, UInt8, UInt8) in
            @inline(__always) func byte(_ v: Float) -> UInt8 { UInt8(min(max(v * 255, 0), 255).rounded()) }
            let (r, g, bl) = LabColor.rgb(l: l, a: a, b: b)
            return (byte(r), byte(g), byte(bl))
        }
        return [\.out: .image(out)]
    }
}
