import ArgumentParser
import StainCore
import StainKit

/// Options shared by the commands that read a pipeline file.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "Pipeline file (YAML).")
    var pipeline: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter (name=value) or a node key (node.key=value).",
                                                          valueName: "k=v"))
    var overrides: [String] = []

    @Option(help: "Apply a variant from the pipeline's `variants:` block.")
    var variant: String?

    var settings: PipelineSettings { PipelineSettings(overrides: overrides, variant: variant) }

    /// Loads the pipeline and applies the variant, `--set` and `$name` substitution, without opening any file it
    /// names; problems with the file or the settings are thrown as `PipelineInvalid`.
    func resolved() throws -> ResolvedPipeline {
        let resolved = ResolvedPipeline(try PipelineDocument.load(path: pipeline), settings, registry: Catalog.registry)
        if !resolved.diagnostics.isEmpty { throw PipelineInvalid(resolved.diagnostics) }
        return resolved
    }

    /// Loads and validates the pipeline with every registered node type.
    func validated() throws -> PipelineGraph {
        try Validator(registry: Catalog.registry).validate(path: pipeline, settings)
    }
}
