import ArgumentParser
import Foundation
import StainImaging
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

    @Option(help: "Refuse larger images (decompression bombs); 0 = 4000, or 400000 for OpenSlide slides.")
    var maxMegapixels: Int = 0

    func run() throws {
        try Failure.guarded {
            // A file that is not there is a mistake on the command line (exit 2), as a missing input file is in a
            // pipeline; one that is there but unreadable is exit 3.
            guard FileManager.default.fileExists(atPath: image) else { throw ValidationError("no such file '\(image)'") }
            // The same checks and conversions as the read node (PixelFormatPolicy): 16-bit is scaled, with a warning.
            let picture: VipsImage
            do {
                let admitted = try ImageOpening.admit(image, level: level,
                                                      maxPixels: maxMegapixels > 0 ? maxMegapixels * 1_000_000 : nil)
                for warning in admitted.warnings { printError("warning: \(warning)") }
                picture = try admitted.image.flatten(background: [255])
            } catch let problem as ImageOpening.Problem {
                if problem.isLevel { throw ValidationError(problem.message) }
                throw NodeRunError(.unreadableInput, problem.message)
            }
            let context = RunContext(threads: 1, progress: ProgressStyle.resolved(nil, otherwise: .none).reporter())
            var histogram: Histogram
            do {
                histogram = try Luma.histogram(of: picture, context, label: "histogram of \(image)")
            } catch {
                throw NodeRunError(.unreadableInput, ImageOpening.damage(image, level: level)
                    ?? "cannot read '\(image)': \(ErrorText.describe(error))")
            }
            histogram.source = "\(image) level \(level)"
            try OutputFiles.createFolder(for: output)
            try histogram.write(to: output)
            print("wrote \(output) (\(histogram.total) pixels)")
            Failure.warnLibvips()
        }
    }
}
