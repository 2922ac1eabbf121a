import Foundation

/// Runs a validated pipeline: every node in dependency order, then all outputs renamed into place together.
/// Statistics passes (whole-image reads a node needs before it can apply) run inside those nodes, before the
/// output pass that the writers start; `ExecutionPlan` describes the order.
public struct Executor {
    public let graph: PipelineGraph
    public let context: RunContext
    /// When set, every output gets a `.provenance.json` sidecar.
    public let provenance: Provenance?

    public init(graph: PipelineGraph, context: RunContext, provenance: Provenance? = nil) {
        self.graph = graph
        self.context = context
        self.provenance = provenance
    }

    /// Runs every node; on any failure no output file is left behind. Returns the files written.
    @discardableResult
    public func run() throws -> [String] {
        var values: [String: [String: NodeValue]] = [:]
        do {
            for node in graph.nodes {
                if context.outputs.isCancelled { throw NodeRunError(.interrupted, "interrupted") }
                var inputs: [String: NodeValue] = [:]
                for (port, edge) in node.inputs {
                    guard let value = values[edge.node]?[edge.port] else {
                        throw NodeRunError(.failure, "node '\(node.id)': '\(edge)' produced no value")
                    }
                    inputs[port] = value
                }
                do {
                    values[node.id] = try node.instance.run(NodeInputs(node: node.id, values: inputs), context)
                } catch let error as NodeRunError {
                    throw NodeRunError(error.kind, "node '\(node.id)' (\(node.descriptor.name)): \(error.message)")
                } catch where context.outputs.isCancelled {
                    throw NodeRunError(.interrupted, "interrupted")
                } catch {
                    throw NodeRunError(.failure, "node '\(node.id)' (\(node.descriptor.name)): \(error)")
                }
            }
            if context.outputs.isCancelled { throw NodeRunError(.interrupted, "interrupted") }
            let written = context.outputs.finalPaths
            if let provenance {
                for path in written {
                    try provenance.json(output: path).write(to: URL(fileURLWithPath: context.outputs.stage(Provenance.sidecar(for: path))))
                }
            }
            try context.outputs.commit()
            return written
        } catch {
            context.outputs.discard()
            throw error
        }
    }
}
