import ArgumentParser

/// The `stain` command-line tool.
@main
struct Stain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stain",
        abstract: "Digital staining of microscopy images: run, check and inspect StainKit pipelines.",
        discussion: "Exit codes: 0 ok, 2 usage or pipeline error, 3 unreadable input, 1 other failure.",
        subcommands: [RunCommand.self, ValidateCommand.self, GraphCommand.self, NodesCommand.self,
                      InspectCommand.self, HistogramCommand.self])
}
