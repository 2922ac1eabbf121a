import ArgumentParser
import Foundation
import NeuralKernels
import StainModels
import StainTraining

/// `stain bench teacher-cache`: how far the teacher cache's targets are from recomputing the teacher every step.
struct BenchTeacherCacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teacher-cache",
        abstract: "Difference between cached-then-augmented teacher targets and the teacher run on augmented z.",
        discussion: "Draws images of a data set's trainC (the enhanced z) and augmentations as a student recipe "
            + "with jitter and dihedral modes does, and prints mean / max |Δ| in 8-bit levels.")

    @Option(help: "Data set folder with trainC/ (e.g. from `stain dataset synth`).")
    var data: String

    @Option(help: "Teacher colorizer weights (safetensors).")
    var teacher: String = "models/teacher-small.safetensors"

    @Option(help: "Random draws of image and augmentation.")
    var draws: Int = 32

    @Option(help: "Seed of the draws.")
    var seed: UInt64 = 0

    @Option(help: "Compute threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard draws >= 1 else { throw ValidationError("--draws must be at least 1, got \(draws)") }
        try ThreadCount.check(threads)
    }

    func run() throws {
        try Failure.guarded {
            ComputeThreads.set(threads)
            let folder = (data as NSString).appendingPathComponent("trainC")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted()
            guard !names.isEmpty else { throw ValidationError("no PNG images in '\(folder)'") }
            let dict = try StateDict.load(teacher)
            let colorizer = SIGGRAPHColorizer(width: try SIGGRAPHColorizer.width(of: dict))
            try colorizer.load(dict, stripModulePrefix: true)
            let paths = names.map { (folder as NSString).appendingPathComponent($0) }
            for (label, jitter, dihedral) in [("dihedral only", false, true), ("jitter only", true, false),
                                              ("jitter + dihedral (the recipes)", true, true)] {
                let r = try TeacherCacheCheck.measure(enhanced: paths, teacher: colorizer, draws: draws, seed: seed,
                                                      jitter: jitter, dihedral: dihedral)
                print(String(format: "teacher-cache %@: draws=%d mean=%.3f levels max=%.1f levels >2 levels: %.2f %%",
                             label, r.draws, r.meanLevels, r.maxLevels, 100 * r.fractionOver2))
            }
        }
    }
}
