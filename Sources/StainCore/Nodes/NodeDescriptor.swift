/// What a node type declares about itself: shown by `stain inspect`, enforced by the validator.
public struct NodeDescriptor: Sendable {
    /// The `type:` word in pipeline files.
    public let name: String
    /// Version of the node's settings, so old pipeline files can be upgraded rather than broken.
    public let version: Int
    public let summary: String
    public let inputs: [InputPort]
    public let outputs: [OutputPort]
    public let parameters: [ParameterSpec]
    /// Pixels of context a tile needs on each side at the default parameters (0 for point operations; nil when
    /// it depends on a required parameter). The node computes its own from its parameters (`StainNode.halo`).
    public let halo: Int?
    /// Whether the node makes a statistics pass over a whole image before it can apply.
    public let needsStatistics: Bool

    public init(name: String, version: Int = 1, summary: String, inputs: [InputPort] = [],
                outputs: [OutputPort] = [], parameters: [ParameterSpec] = [], halo: Int? = 0,
                needsStatistics: Bool = false) {
        self.name = name
        self.version = version
        self.summary = summary
        self.inputs = inputs
        self.outputs = outputs
        self.parameters = parameters
        self.halo = halo
        self.needsStatistics = needsStatistics
    }

    public func input(_ name: String) -> InputPort? { inputs.first { $0.name == name } }
    /// The input port that had this name before it was renamed (still accepted, with a warning).
    public func renamedInput(_ formerName: String) -> InputPort? { inputs.first { $0.formerNames.contains(formerName) } }
    public func output(_ name: String) -> OutputPort? { outputs.first { $0.name == name } }
    public func parameter(_ name: String) -> ParameterSpec? { parameters.first { $0.name == name } }

    /// Every key a pipeline file may give this node (besides `type`).
    public var keys: [String] { inputs.map(\.name) + parameters.map(\.name) }
}
