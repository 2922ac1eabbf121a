import ArgumentParser
import Foundation
import EnhancementPlugins
import IOPlugins
import StainCore
import Vips

struct HistogramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "histogram",
        abstract: "Save an image's 256-bin luma histogram as JSON, a reference for histogram-matcher (load-histogram).")

    @Argument(help: "Image or slide.")
    var image: String

    @Option(name: .shortAndLong, help: "Output JSON file.")
    var output: String

    @Option(help: "Pyramid level to read (slides and pyramidal TIFF).")
    var level: Int = 0

    func run() throws {
        try Failure.guarded {
            let picture: VipsImage
            do { picture = try ImageOpening.open(image, level: level) } catch {
                throw NodeRunError(.unreadableInput, "cannot read '\(image)': \(error)")
            }
            let context = RunContext(threads: 1, progress: isatty(STDERR_FILENO) != 0 ? TerminalProgress(json: false) : SilentProgress())
            var histogram = try Luma.histogram(of: picture, context, label: "histogram of \(image)")
            histogram.source = "\(image) level \(level)"
            try histogram.write(to: output)
            print("wrote \(output) (\(histogram.total) pixels)")
        }
    }
}
