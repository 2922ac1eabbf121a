/// The node plugin protocol: a node type declares itself and turns input values into output values.

/// A node type. Conforming types live under Plugins/, one file each, registered by one line in their family list.
public protocol StainNode: Sendable {
    /// Name, version, ports, parameters, halo and statistics needs.
    static var descriptor: NodeDescriptor { get }

    /// Creates the node from checked parameters. Throw `NodeConfigurationError` for combinations the
    /// per-parameter checks cannot see; it is reported as a validation error at the parameter's line.
    init(_ parameters: ParameterValues) throws

    /// Band counts of the outputs, given the band counts known for the inputs (nil = unknown).
    /// The default follows the output ports' `BandRule`s.
    func outputBands(inputBands: [String: Int]) -> [String: Int]

    /// Computes the outputs. Images may stay lazy: pixels move when a writer (or a statistics pass) pulls them.
    func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue]

    /// What the node accepted but changed on the way, for the user to know (e.g. a 16-bit input scaled to 8-bit).
    /// Validation reports them as warnings at the parameter's line; the default has none.
    var warnings: [NodeWarning] { get }
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

extension StainNode {
    public var warnings: [NodeWarning] { [] }

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
