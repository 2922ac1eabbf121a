import Vips

/// A value flowing along an edge.
public enum NodeValue: Sendable {
    case image(VipsImage)
    case histogram(Histogram)
    case table(Table)
    case imageSet(ImageSet)

    public var kind: PortKind {
        switch self {
        case .image: .image
        case .histogram: .histogram
        case .table: .table
        case .imageSet: .imageSet
        }
    }
}

/// The values connected to a node's input ports.
public struct NodeInputs: Sendable {
    public let node: String
    public let values: [String: NodeValue]

    public init(node: String, values: [String: NodeValue]) {
        self.node = node
        self.values = values
    }

    public subscript(_ port: String) -> NodeValue? { values[port] }

    /// The image on a port; the validator guarantees kinds, so a mismatch is a programming error.
    public func image(_ port: String) throws -> VipsImage {
        guard case .image(let image)? = values[port] else {
            throw NodeRunError(.failure, "node '\(node)': input '\(port)' is not connected to an image")
        }
        return image
    }

    public func optionalImage(_ port: String) -> VipsImage? {
        if case .image(let image)? = values[port] { return image }
        return nil
    }

    /// The images on a port as a named set: a single image becomes a set of one, named after the port.
    public func imageSet(_ port: String) throws -> ImageSet {
        switch values[port] {
        case .imageSet(let set)?: return set
        case .image(let image)?: return ImageSet([(port, image)])
        default: throw NodeRunError(.failure, "node '\(node)': input '\(port)' is not connected to images")
        }
    }

    public func table(_ port: String) throws -> Table {
        guard case .table(let table)? = values[port] else {
            throw NodeRunError(.failure, "node '\(node)': input '\(port)' is not connected to a table")
        }
        return table
    }
}
