import Vips

/// The values on a node's input ports, read through key paths into the node's declaration:
/// `try inputs.image(\.source)`. The validator has checked kinds, so a mismatch means an unconnected port.
public struct Inputs<Declaration: NodeDeclaration>: Sendable {
    /// The node's id in the pipeline, for messages.
    public let node: String
    public let values: NodeInputs
    let declaration = Declaration()

    public init(_ values: NodeInputs) {
        self.values = values
        node = values.node
    }

    /// Inputs given in code (e.g. by the training tools): `Inputs([(\.source, .image(x))])`.
    public init(node: String = "node", _ values: [(KeyPath<Declaration, InputPort>, NodeValue)]) {
        let declaration = Declaration()
        self.init(NodeInputs(node: node, values: Dictionary(values.map { (declaration[keyPath: $0.0].name, $0.1) },
                                                             uniquingKeysWith: { _, last in last })))
    }

    public func name(_ port: KeyPath<Declaration, InputPort>) -> String { declaration[keyPath: port].name }

    /// The value on a port, whatever its kind; nil when an optional port is unconnected.
    public func value(_ port: KeyPath<Declaration, InputPort>) -> NodeValue? { values[name(port)] }

    /// The value on a port that must be connected.
    public func required(_ port: KeyPath<Declaration, InputPort>) throws -> NodeValue {
        guard let value = value(port) else {
            throw NodeRunError(.failure, "node '\(node)': input '\(name(port))' is not connected")
        }
        return value
    }

    public func image(_ port: KeyPath<Declaration, InputPort>) throws -> VipsImage { try values.image(name(port)) }
    public func optionalImage(_ port: KeyPath<Declaration, InputPort>) -> VipsImage? { values.optionalImage(name(port)) }
    public func imageSet(_ port: KeyPath<Declaration, InputPort>) throws -> ImageSet { try values.imageSet(name(port)) }
    public func table(_ port: KeyPath<Declaration, InputPort>) throws -> Table { try values.table(name(port)) }
}

/// The values a node produces, keyed by its declared output ports: `[\.out: .image(result)]`.
public struct Outputs<Declaration: NodeDeclaration>: ExpressibleByDictionaryLiteral, Sendable {
    public let values: [String: NodeValue]

    public init(dictionaryLiteral elements: (KeyPath<Declaration, OutputPort>, NodeValue)...) {
        let declaration = Declaration()
        values = Dictionary(elements.map { (declaration[keyPath: $0.0].name, $0.1) }, uniquingKeysWith: { _, last in last })
    }

    /// The value on an output port (e.g. for the training tools that call nodes directly).
    public subscript(_ port: KeyPath<Declaration, OutputPort>) -> NodeValue? { values[Declaration()[keyPath: port].name] }

    /// The image on an output port.
    public func image(_ port: KeyPath<Declaration, OutputPort>) throws -> VipsImage {
        guard case .image(let image)? = self[port] else {
            throw NodeRunError(.failure, "output '\(Declaration()[keyPath: port].name)' holds no image")
        }
        return image
    }
}
