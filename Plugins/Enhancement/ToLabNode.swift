import StainCore
import StainImaging
import StainModels

/// `to-lab`: 8-bit sRGB → CIE LAB (D65) as 3 float bands (L 0…100, a, b), with the paper colorizer's formulas
/// (docs/paper.md ("Networks")). Streams tile by tile.
public struct ToLabNode: StainNode {
    public static let name = "to-lab"
    public static let summary = "sRGB (8-bit) → CIE LAB D65, float bands L, a, b (paper colorizer formulas)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", bands: [3], doc: "8-bit RGB image")
        let out = OutputPort("out", bands: .fixed(3), doc: "float LAB image")
    }

    public init(_ p: Configuration<Declaration>) throws {}

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let out = try PixelTriples.map(try inputs.image(\.source), from: UInt8.self, interpretation: .lab) {
            (r: UInt8, g: UInt8, b: UInt8) -> (Float, Float, Float) in
            LabColor.lab(r: Float(r) / 255, g: Float(g) / 255, b: Float(b) / 255)
        }
        return [\.out: .image(out)]
    }
}
