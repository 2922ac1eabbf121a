import ArgumentParser
import StainCore
import StainKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a pipeline completely without running it; print its passes.")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        try Failure.guarded {
            let graph = try options.validated()
            Failure.warn(graph.warnings)
            print("\(options.pipeline): ok — pipeline '\(graph.name)', \(graph.nodes.count) nodes")
            print(ExecutionPlan(graph))
        }
    }
}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a pipeline as Graphviz dot (pipe into `dot -Tpng`); its input files need not exist yet.")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        try Failure.guarded {
            print(try GraphvizExport.dot(try options.resolved(), registry: Catalog.registry), terminator: "")
        }
    }
}
