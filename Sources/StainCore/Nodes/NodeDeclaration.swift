/// A node's ports and parameters, declared once as the stored properties of one struct (in the manner of
/// swift-argument-parser's `@Option`s): the descriptor that `stain inspect`, docs/nodes.md and the validator use is
/// read from it by reflection, and the node reads its checked values back through key paths into it.
///
///     public struct Declaration: NodeDeclaration {
///         public init() {}
///         let source = InputPort("source", doc: "image to enhance")
///         let out = OutputPort("out", bands: .fixed(1), doc: "enhanced gray image")
///         let mode = Parameter("mode", default: HistogramMatching.Mode.inverse, doc: "inverse or forward")
///     }
public protocol NodeDeclaration: Sendable {
    init()
}

/// Parameters several node types share (e.g. the tiling settings of the network nodes), declared once as the
/// stored properties of one struct and embedded as a property of each node's declaration.
public protocol ParameterGroup: Sendable {
    init()
}

/// The ports and parameters found in a declaration, in declaration order.
struct DeclaredMembers {
    var inputs: [InputPort] = []
    var outputs: [OutputPort] = []
    var parameters: [ParameterSpec] = []

    init(_ declaration: Any) { collect(declaration) }

    private mutating func collect(_ declaration: Any) {
        for child in Mirror(reflecting: declaration).children {
            switch child.value {
            case let port as InputPort: inputs.append(port)
            case let port as OutputPort: outputs.append(port)
            case let parameter as any ParameterDeclaring: parameters.append(parameter.spec)
            case let group as any ParameterGroup: collect(group)
            default: break
            }
        }
    }
}
