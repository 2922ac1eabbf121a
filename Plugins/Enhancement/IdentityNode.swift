import StainCore

/// `identity`: passes its input through unchanged ("no enhancement" in ablations).
public struct IdentityNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "identity", summary: "Pass the image through unchanged (the 'none' enhancement variant)",
        inputs: [InputPort("source", doc: "any image")],
        outputs: [OutputPort("out", bands: .sameAs("source"), doc: "the same image")])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .image(try inputs.image("source"))]
    }
}
