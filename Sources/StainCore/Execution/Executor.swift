import Foundation
import Vips

/// Runs a validated pipeline: every node in dependency order, then all outputs renamed into place together.
/// Statistics passes (whole-image reads a node needs before it can apply) run inside those nodes, before the
/// output pass that the writers start; `ExecutionPlan` describes the order.
public struct Executor {
    public let graph: PipelineGraph
    public let context: RunContext
    /// When set, every output gets a `.provenance.json` sidecar; when nil, a sidecar left by an earlier run next to
    /// an output is removed (it would describe a file that no longer exists).
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
        let passes = PassCounter()
        do {
            for node in graph.nodes {
                let nodeContext = RunContext(threads: context.threads,
                                             progress: NodeProgress(node: node.id, base: context.progress, counter: passes),
                                             outputs: context.outputs)
                if context.outputs.isCancelled { throw NodeRunError(.interrupted, "interrupted") }
                var inputs: [String: NodeValue] = [:]
                for (port, edge) in node.inputs {
                    guard let value = values[edge.node]?[edge.port] else {
                        throw NodeRunError(.failure, "node '\(node.id)': '\(edge)' produced no value")
                    }
                    inputs[port] = value
                }
                do {
                    values[node.id] = try Self.consistent(node.instance.run(ports: NodeInputs(node: node.id, values: inputs), nodeContext),
                                                          inputs: inputs)
                } catch let error as NodeRunError where error.kind != .failure {
                    throw NodeRunError(error.kind, "node '\(node.id)' (\(node.descriptor.name)): \(error.message)")
                } catch where context.outputs.isCancelled {
                    throw NodeRunError(.interrupted, "interrupted")
                } catch {
                    if let damage = inputDamage() { throw damage }
                    let message = context.outputs.presentable((error as? NodeRunError)?.message ?? ErrorText.describe(error))
                    throw NodeRunError(.failure, "node '\(node.id)' (\(node.descriptor.name)): \(message)")
                }
            }
            if context.outputs.isCancelled { throw NodeRunError(.interrupted, "interrupted") }
            let written = context.outputs.finalPaths
            if let provenance {
                for path in written {
                    do {
                        let sha256 = try context.outputs.temporaryPath(for: path).map { try SHA256.hex(file: $0) }
                        try provenance.json(output: path, sha256: sha256)
                            .write(to: URL(fileURLWithPath: context.outputs.stage(Provenance.sidecar(for: path))))
                    } catch {
                        throw NodeRunError(.failure, "cannot write the provenance of '\(path)': "
                            + context.outputs.presentable(ErrorText.describe(error)))
                    }
                }
            }
            try context.outputs.commit()
            if provenance == nil {
                for path in written { unlink(Provenance.sidecar(for: path)) }
            }
            return written
        } catch {
            context.outputs.discard()
            throw error
        }
    }

    /// After a node failed: the first input file that turns out to be damaged when decoded completely, if any.
    /// Damage (a truncated PNG) shows only when pixels are pulled, often inside a later node, so the failure is
    /// traced back to the file here and reported as an unreadable input.
    private func inputDamage() -> NodeRunError? {
        for node in graph.nodes {
            guard let reader = node.instance as? InputFileChecking, let damage = reader.inputDamage() else { continue }
            return NodeRunError(.unreadableInput, "node '\(node.id)' (\(node.descriptor.name)): \(damage.message)")
        }
        return nil
    }

    /// Every image a node outputs carries an interpretation matching its band format (8-bit pixels are never
    /// labelled grey16 or rgb16), whatever the node did: savers and later nodes rely on the tag.
    /// Output images tagged to match their pixels, and carrying the physical pixel size of the node's input
    /// image when the node made them from raw pixels (libvips then says 1 pixel per mm, its "unknown"). The size
    /// is scaled when the output is smaller or larger (a mask of a thumbnail), so every node keeps a slide's
    /// microns per pixel through to the written file.
    static func consistent(_ outputs: [String: NodeValue], inputs: [String: NodeValue] = [:]) throws -> [String: NodeValue] {
        let source = inputs.keys.sorted().lazy.compactMap { key -> VipsImage? in
            if case .image(let image)? = inputs[key], image.xres != 1 || image.yres != 1 { return image }
            return nil
        }.first
        return try outputs.mapValues { value in
            guard case .image(var image) = value else { return value }
            if let source, image.xres == 1, image.yres == 1 {
                image = try image.withResolution(x: source.xres * Double(image.width) / Double(source.width),
                                                 y: source.yres * Double(image.height) / Double(source.height))
            }
            return .image(try image.withConsistentInterpretation())
        }
    }
}
