/// The set of node types a run can use, looked up by their `type:` word.
public struct NodeRegistry: Sendable {
    public private(set) var types: [String: any StainNode.Type] = [:]

    public init(_ nodeTypes: [any StainNode.Type] = []) {
        for type in nodeTypes { register(type) }
    }

    /// Adds a node type; a second type with the same name is a programming error.
    public mutating func register(_ type: any StainNode.Type) {
        let name = type.descriptor.name
        precondition(types[name] == nil, "node type '\(name)' registered twice")
        types[name] = type
    }

    public subscript(_ name: String) -> (any StainNode.Type)? { types[name] }

    /// All node names, sorted.
    public var names: [String] { types.keys.sorted() }
}
