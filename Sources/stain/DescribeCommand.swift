import ArgumentParser
import StainCore
import StainKit

/// `stain describe PIPELINE`: what a pipeline takes and does, from the file alone (no image or weights is opened),
/// so a pipeline can be understood, and its `--set` names found, before its data exists.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a pipeline's params (value, origin, uses), nodes and variants, without opening its files.")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        try Failure.guarded {
            print(PipelineDescription.text(try options.resolved(), registry: Catalog.registry), terminator: "")
        }
    }
}
