/// Typed ports: what flows along the edges of a pipeline graph.

/// The kind of value an edge carries.
public enum PortKind: String, Sendable, CaseIterable {
    /// A (possibly lazy, streamed) libvips image.
    case image
    /// A 256-bin intensity histogram.
    case histogram
    /// A table of named numbers (metrics, statistics).
    case table
    /// A named set of images (a folder), e.g. predictions to evaluate.
    case imageSet = "image-set"
}

/// How many bands an output image has, as far as validation can tell.
public enum BandRule: Sendable, Equatable {
    case fixed(Int)
    /// The same as the image on this input port.
    case sameAs(String)
    case unknown
}

/// An input port: name, accepted kinds, accepted band counts (nil = any), whether it may be left unconnected.
public struct InputPort: Sendable {
    public let name: String
    public let kinds: [PortKind]
    public let bands: [Int]?
    public let optional: Bool
    public let doc: String
    /// Names this port had in earlier releases: pipeline files using them still work, with a warning.
    public let formerNames: [String]

    public init(_ name: String, _ kinds: [PortKind] = [.image], bands: [Int]? = nil, optional: Bool = false,
                formerly formerNames: [String] = [], doc: String) {
        self.name = name
        self.formerNames = formerNames
        self.kinds = kinds
        self.bands = bands
        self.optional = optional
        self.doc = doc
    }
}

/// An output port: name, kind and band rule.
public struct OutputPort: Sendable {
    public let name: String
    public let kind: PortKind
    public let bands: BandRule
    public let doc: String

    public init(_ name: String, _ kind: PortKind = .image, bands: BandRule = .unknown, doc: String) {
        self.name = name
        self.kind = kind
        self.bands = bands
        self.doc = doc
    }
}
