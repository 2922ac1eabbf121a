/// A validated pipeline: typed, checked nodes in dependency order.
public struct PipelineGraph: Sendable {
    /// Where an input port takes its value from.
    public struct Edge: Sendable, Equatable, CustomStringConvertible {
        public let node: String
        public let port: String
        public init(node: String, port: String) {
            self.node = node
            self.port = port
        }
        public var description: String { "\(node).\(port)" }
    }

    /// A node instance ready to run.
    public struct Node: Sendable {
        public let id: String
        public let descriptor: NodeDescriptor
        public let parameters: ParameterValues
        public let inputs: [String: Edge]
        public let instance: any StainNode
        public let location: SourceLocation
        /// Band counts of image outputs, where validation could tell.
        public let outputBands: [String: Int]
    }

    public let name: String
    public let file: String
    /// Nodes in an order where every node comes after the nodes it reads from.
    public let nodes: [Node]
    /// Conversions validation accepted (e.g. 16-bit → 8-bit), as `file:line:col: node, key: message`.
    public var warnings: [Diagnostic] = []

    public init(name: String, file: String, nodes: [Node], warnings: [Diagnostic] = []) {
        self.name = name
        self.file = file
        self.nodes = nodes
        self.warnings = warnings
    }

    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }
}

/// A pipeline checked against its node types' declarations but with no file opened and no node constructed
/// (`Validator.sketch`): its nodes, parameters and edges, enough to draw it before its inputs exist.
public struct PipelineSketch: Sendable {
    public struct Node: Sendable {
        public let id: String
        public let descriptor: NodeDescriptor
        public let parameters: ParameterValues
        public let inputs: [String: PipelineGraph.Edge]
    }

    public let name: String
    /// Nodes in an order where every node comes after the nodes it reads from.
    public let nodes: [Node]
}

extension PipelineGraph {
    /// The validated graph without its node instances.
    public var sketch: PipelineSketch {
        PipelineSketch(name: name, nodes: nodes.map {
            .init(id: $0.id, descriptor: $0.descriptor, parameters: $0.parameters, inputs: $0.inputs)
        })
    }
}
