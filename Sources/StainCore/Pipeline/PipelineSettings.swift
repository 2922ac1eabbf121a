/// Command-line adjustments to a pipeline: `--set` overrides and `--variant` selection.
public struct PipelineSettings: Sendable {
    /// `name=value` sets a pipeline parameter; `node.key=value` sets a node key (including `type`).
    public var overrides: [String]
    /// The name of a `variants:` block to apply, if any.
    public var variant: String?

    public init(overrides: [String] = [], variant: String? = nil) {
        self.overrides = overrides
        self.variant = variant
    }
}
