import StainCore

/// `identity`: passes its input through unchanged ("no enhancement" in ablations).
public struct IdentityNode: StainNode {
    public static let name = "identity"
    public static let summary = "Pass the image through unchanged (the 'none' enhancement variant)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "any image")
        let out = OutputPort("out", bands: .sameAs("source"), doc: "the same image")
    }

    public init(_ p: Configuration<Declaration>) throws {}

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .image(try inputs.image(\.source))]
    }
}
