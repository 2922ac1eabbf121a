import ArgumentParser
import Foundation
import StainTraining
import Vips

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Build training data sets.", subcommands: [DatasetSynthCommand.self, DatasetBaselineCommand.self])
}

struct DatasetSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "A synthetic digital-staining data set (trainA/B/C, testA/B/C) cut from a real H&E image or slide.",
        discussion: "The output folder gets a README.md saying how it was made. See docs/training.md.")

    @Option(help: "Real bright-field H&E image (PNG, TIFF, JPEG, or a slide libvips can open).")
    var from: String

    @Option(help: "Output folder (must not exist).")
    var out: String

    @Option(help: "At most this many tiles in all (default: every tissue tile).")
    var tiles: Int?

    @Option(help: "Tile side in pixels.")
    var size = 256

    @Option(help: "Fraction of grid columns (rightmost) kept for testing.")
    var testFraction = 0.2

    @Option(help: "Seed of the synthesis noise, tile sampling and misalignment.")
    var seed = 0

    @Flag(help: "Paired-but-misaligned: trainA and trainB from the same tiles, trainB misaligned (true fields kept).")
    var paired = false

    @Option(help: "Paired: max rotation of the misalignment, degrees.")
    var misalignRotation = 1.0

    @Option(help: "Paired: max shift of the misalignment, pixels.")
    var misalignTranslation = 5.0

    @Option(help: "Paired: σ of the elastic misalignment, pixels.")
    var misalignElastic = 2.0

    @Option(help: "Minimum tissue fraction of a kept tile.")
    var minTissue = 0.5

    func validate() throws {
        guard size >= 16, size % 8 == 0 else { throw ValidationError("--size must be a multiple of 8 and ≥ 16, got \(size)") }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be in (0, 1)") }
        if let tiles, tiles < 3 { throw ValidationError("--tiles must be at least 3") }
        guard (0...1).contains(minTissue) else { throw ValidationError("--min-tissue must be in 0…1") }
    }

    func run() throws {
        try Failure.guarded {
            // Missing input is a usage error (exit 2), as in pipelines; an unreadable one is exit 3.
            guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("--from: no such file '\(from)'") }
            try OutputFiles.checkLocation(out)
            var options = SyntheticDataset.Options(source: from, output: out)
            options.size = size
            options.maxTiles = tiles
            options.testFraction = testFraction
            options.seed = seed
            options.paired = paired
            options.misalignRotation = misalignRotation
            options.misalignTranslation = misalignTranslation
            options.misalignElastic = misalignElastic
            options.minTissue = minTissue
            let summary = try SyntheticDataset(options).build { printError($0) }
            print("wrote \(out): trainA \(summary.trainA), trainB \(summary.trainB), test \(summary.test) "
                  + "(\(summary.rejected) background tiles skipped)")
        }
    }
}

struct DatasetBaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "The luma-to-colour baseline on a data set's test split: mean PSNR/SSIM against testB.",
        discussion: """
            For each luma level of the trainB images, their mean RGB at that level, applied to the enhanced testC \
            images (made like stain train makes them when absent). A trained model should beat it.
            """)

    @Option(help: "Data set folder (trainB, testA/testB, optional testC).")
    var data: String

    @Option(help: "Also write the baseline's images here (named like testB).")
    var out: String?

    func run() throws {
        try Failure.guarded {
            if let out { try OutputFiles.checkLocation(out) }
            let set = try TrainingSet.open(root: data, kind: .studentUnpaired, crop: 0)
            let scratch = NSTemporaryDirectory() + "stain-baseline-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let enhanced = try set.testC
                ?? Enhancer(method: .inverse, brightfield: set.trainB).cache(set.testA, into: scratch)
            let baseline = try LumaColorBaseline.fit(brightfield: set.trainB)
            let result = try baseline.evaluate(enhanced: enhanced, targets: set.testB, output: out)
            print(String(format: "luma-to-colour baseline on %d test images: PSNR %.2f dB, SSIM %.4f",
                         set.testB.count, result.psnr, result.ssim))
        }
    }
}
