import Vips

/// Named images, e.g. the files of a folder, keyed by file name without extension.
public struct ImageSet: Sendable {
    public let items: [(name: String, image: VipsImage)]

    public init(_ items: [(name: String, image: VipsImage)]) { self.items = items }

    public var names: [String] { items.map(\.name) }

    public func image(named name: String) -> VipsImage? { items.first { $0.name == name }?.image }
}
