import ArgumentParser
import StainCore
import StainKit

struct NodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nodes", abstract: "List every node type.")

    @Flag(help: "Write the Markdown node reference (docs/nodes.md) instead.")
    var markdown = false

    func run() throws {
        let descriptors = Catalog.registry.types.sorted { $0.key < $1.key }.map { $0.value.descriptor }
        if markdown {
            print(NodeReference.markdown(descriptors), terminator: "")
            return
        }
        let width = descriptors.map(\.name.count).max() ?? 0
        for d in descriptors { print(d.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + d.summary) }
    }
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a node type's ports, parameters, halo and version.")

    @Argument(help: "Node type name (see `stain nodes`).")
    var node: String

    func run() throws {
        guard let type = Catalog.registry[node] else {
            let hint = Spelling.closest(to: node, in: Catalog.registry.names).map { " (did you mean '\($0)'?)" } ?? ""
            printError("error: unknown node type '\(node)'\(hint); `stain nodes` lists them")
            throw ExitCode(2)
        }
        print(NodeReference.inspect(type.descriptor))
    }
}
