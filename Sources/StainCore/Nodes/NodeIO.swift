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
}
