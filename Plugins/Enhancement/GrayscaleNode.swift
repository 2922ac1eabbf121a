import StainCore
import StainImaging
import Vips

/// `grayscale`: the 8-bit luma round(0.299 R + 0.587 G + 0.114 B), optionally replicated to 3 bands.
public struct GrayscaleNode: StainNode {
    public static let name = "grayscale"
    public static let summary = "8-bit luma round(0.299R + 0.587G + 0.114B), 1 or 3 bands"

    /// 1 band, or 3 identical ones.
    public enum Bands: String, ParameterChoice {
        case one = "1", three = "3"
    }

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "RGB or gray image")
        let out = OutputPort("out", doc: "gray image")
        let bands = Parameter("bands", default: Bands.one, doc: "1, or 3 identical bands (as the paper stores z)")
    }

    let bands: Bands

    public init(_ p: Configuration<Declaration>) throws { bands = try p.bands }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] { ["out": bands == .one ? 1 : 3] }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let gray = try Luma.of(try inputs.image(\.source))
        return [\.out: .image(bands == .one ? gray : try Vips.operation("bandjoin", ["in": .images([gray, gray, gray])]).image())]
    }
}
