import ArgumentParser
import Foundation
import StainCore
import StainKit
import Vips

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Validate, then run a pipeline. Outputs appear only if the whole run succeeds.")

    @OptionGroup var options: PipelineOptions

    @Option(parsing: ThreadCount.parsing, help: "Threads for this run (libvips workers or BLAS threads, never both multiplied). Default: all cores.")
    var threads: Int?

    @Flag(help: "Do not write OUTPUT.provenance.json next to each output (an old one there is removed).")
    var noProvenance = false

    @Option(help: "Progress on stderr: bar (default when stderr is a terminal), json (JSON lines), lines, none.")
    var progress: ProgressStyle?

    func validate() throws { try ThreadCount.check(threads) }

    func run() throws {
        try Failure.guarded {
            let graph = try options.validated()
            Failure.warn(graph.warnings)
            let threadCount = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
            Catalog.configureThreads(threadCount)
            let style = ProgressStyle.resolved(progress, otherwise: .none)
            let context = RunContext(threads: threadCount, progress: style.reporter())
            let interrupts = InterruptCleanup(context.outputs)
            defer { interrupts.disarm() }
            let provenance = noProvenance ? nil : Provenance(
                graph: graph, settings: options.settings,
                versions: ["stainkit": StainKitVersion.current, "libvips": Vips.version],
                commandLine: CommandLine.arguments)
            let written = try Executor(graph: graph, context: context, provenance: provenance).run()
            for path in written { print("wrote \(path)") }
            Failure.warnLibvips()
        }
    }
}
