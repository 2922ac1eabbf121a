import StainCore
import Vips

/// `grayscale`: the 8-bit luma round(0.299 R + 0.587 G + 0.114 B), optionally replicated to 3 bands.
public struct GrayscaleNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "grayscale", summary: "8-bit luma round(0.299R + 0.587G + 0.114B), 1 or 3 bands",
        inputs: [InputPort("source", doc: "RGB or gray image")],
        outputs: [OutputPort("out", doc: "gray image")],
        parameters: [ParameterSpec("bands", .choice(["1", "3"]), default: .string("1"),
                                   doc: "1, or 3 identical bands (as the paper stores z)")])

    let bands: Int

    public init(_ p: ParameterValues) throws { bands = Int(p.string("bands"))! }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] { ["out": bands] }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let gray = try Luma.of(try inputs.image("source"))
        return ["out": .image(bands == 1 ? gray : try Vips.operation("bandjoin", ["in": .images([gray, gray, gray])]).image())]
    }
}
