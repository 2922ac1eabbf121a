/// The node plugin protocol: a node type declares its ports and parameters once (`Declaration`) and turns input
/// values into output values.

/// A node type. Conforming types live under Plugins/, one file each, registered by one line in their family list;
/// docs/architecture.md walks through writing one.
public protocol StainNode: Sendable {
    /// The node's ports and parameters (see `NodeDeclaration`).
    associatedtype Declaration: NodeDeclaration

    /// The `type:` word in pipeline files.
    static var name: String { get }
    /// One line for `stain nodes` and docs/nodes.md.
    static var summary: String { get }
    /// Version of the node's settings, so old pipeline files can be upgraded rather than broken (default 1).
    static var version: Int { get }
    /// Whether the node makes a statistics pass over a whole image before it can apply (default false).
    static var needsStatistics: Bool { get }

    /// Pixels of context a tile needs on each side, from the parameters (e.g. a network's residual blocks); the
    /// tiled execution of the network nodes uses exactly this. 0 (the default) for point operations.
    static func halo(_ parameters: Configuration<Declaration>) throws -> Int

    /// Creates the node from checked parameters. Throw `NodeConfigurationError` (e.g. `parameters.problem(\.x, …)`)
    /// for combinations the per-parameter checks cannot see; it is reported as a validation error at that
    /// parameter's line. Read only file headers here: `stain validate` constructs every node.
    init(_ parameters: Configuration<Declaration>) throws

    /// Band counts of the outputs, given the band counts known for the inputs (nil = unknown).
    /// The default follows the output ports' `BandRule`s.
    func outputBands(inputBands: [String: Int]) -> [String: Int]

    /// Computes the outputs. Images may stay lazy: pixels move when a writer (or a statistics pass) pulls them.
    func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration>

    /// What the node accepted but changed on the way, for the user to know (e.g. a 16-bit input scaled to 8-bit).
    /// Validation reports them as warnings at the parameter's line; the default has none.
    var warnings: [NodeWarning] { get }

    /// Parameters that have no effect with the others as set (a PNG `write` ignores the TIFF settings): left out
    /// of the provenance record so it says only what shaped the output. The default: none.
    var unusedParameters: [String] { get }
}

/// Something a node accepted with a documented conversion; `key` names the parameter it is about.
public struct NodeWarning: Sendable, Equatable {
    public let key: String
    public let message: String
    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }
}

/// A node that reads input files, and can tell after a failed run whether one of them is damaged. Damage (a
/// truncated PNG, a JPEG cut short) often shows only when pixels are decoded, deep inside a later node's work; the
/// executor asks these nodes so the failure is reported as an unreadable input naming the file (exit 3).
public protocol InputFileChecking {
    /// Decodes the node's input completely; returns the problem if it cannot be read, nil if it is sound.
    func inputDamage() -> NodeRunError?
}

/// A node that computes an image in tiles and can skip some (glass, by a tissue mask): how many it computed and
/// skipped in this run, for the provenance record and the cohort report.
public protocol TileCounting {
    var tileCounts: (computed: Int, skipped: Int) { get }
}

extension StainNode {
    public static var version: Int { 1 }
    public static var needsStatistics: Bool { false }
    public static func halo(_ parameters: Configuration<Declaration>) throws -> Int { 0 }
    public var warnings: [NodeWarning] { [] }
    public var unusedParameters: [String] { [] }

    /// What `stain inspect`, docs/nodes.md and the validator see, read from the declaration. The halo shown is the
    /// one at the default parameters (nil when it depends on a required parameter).
    public static var descriptor: NodeDescriptor {
        let declaration = Declaration()
        let members = DeclaredMembers(declaration)
        var defaults: [String: ParameterValue] = [:]
        for spec in members.parameters { defaults[spec.name] = spec.defaultValue }
        let halo = try? halo(Configuration(declaration, ParameterValues(defaults)))
        return NodeDescriptor(name: name, version: version, summary: summary, inputs: members.inputs,
                              outputs: members.outputs, parameters: members.parameters, halo: halo,
                              needsStatistics: needsStatistics)
    }

    /// Creates the node from values the validator checked against `descriptor`.
    public static func make(_ values: ParameterValues) throws -> any StainNode {
        try Self(Configuration(Declaration(), values))
    }

    /// Runs the node on inputs keyed by port name (the executor's view).
    public func run(ports values: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        try run(Inputs(values), context).values
    }

    public func outputBands(inputBands: [String: Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for port in Self.descriptor.outputs {
            switch port.bands {
            case .fixed(let n): result[port.name] = n
            case .sameAs(let input): result[port.name] = inputBands[input]
            case .unknown: break
            }
        }
        return result
    }
}

/// A parameter combination a node rejects; `key` names the parameter to point the error at. `kind` is
/// `.unreadableInput` when the parameter names a file that exists but cannot be used (damaged, wrong format).
public struct NodeConfigurationError: Error, Sendable {
    public let key: String
    public let message: String
    public let kind: Diagnostic.Kind
    public init(key: String, _ message: String, kind: Diagnostic.Kind = .pipeline) {
        self.key = key
        self.message = message
        self.kind = kind
    }
}

/// A failure while running a node, with the exit code class it belongs to.
public struct NodeRunError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case unreadableInput, failure, interrupted }
    public let kind: Kind
    public let message: String
    public init(_ kind: Kind = .failure, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}
