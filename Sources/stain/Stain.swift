import ArgumentParser
import Foundation
import NeuralKernels
import StainCore

/// The `stain` command-line tool.
@main
struct Stain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stain",
        abstract: "Digital staining of microscopy images: run, check and inspect StainKit pipelines.",
        discussion: "Exit codes:\n" + ExitStatus.allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n"),
        subcommands: [RunCommand.self, ValidateCommand.self, GraphCommand.self, DescribeCommand.self, NodesCommand.self,
                      InspectCommand.self, HistogramCommand.self, EvalCommand.self, TrainCommand.self, DatasetCommand.self,
                      BenchCommand.self, InfoCommand.self])

    /// Handled here rather than by `CommandConfiguration(version:)`, whose text is fixed when the configuration is
    /// built: the report asks libvips and OpenBLAS, which only a `--version` run should pay for.
    @Flag(help: "Print the versions of StainKit, libvips and OpenBLAS, and the BLAS core in use.")
    var version = false

    /// Runs only when no subcommand is given: `stain --version` prints the versions, a bare `stain` its help.
    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(VersionReport.text)
    }

    /// Like the default entry point, but usage errors exit 2 (not 64), as documented.
    static func main() {
        // OpenBLAS reads its settings when it loads: on CPUs it does not recognize it falls back to generic kernels
        // (~4x slower), and its idle threads spin long enough to slow the work between GEMMs. Restart once with the
        // CPU's core type and a short spin, unless the environment already sets them.
        BLASInfo.relaunchWithRecommendedEnvironmentIfNeeded()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .validationFailure {
                printError(message)
                Foundation.exit(2)
            }
            if code == .success && !message.isEmpty { print(message) } else if !message.isEmpty { printError(message) }
            Foundation.exit(code.rawValue)
        }
    }
}
