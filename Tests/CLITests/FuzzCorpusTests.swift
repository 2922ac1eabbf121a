import Foundation
import XCTest

/// The fuzz targets' seed corpora (Fuzz/Corpus) replay through the targets' bodies without a crash, so a corpus
/// or a target that no longer builds shows up in the ordinary test run; `scripts/fuzz` does the fuzzing itself.
final class FuzzCorpusTests: CLITestCase {
    func testSeedCorporaReplay() throws {
        for target in ["FuzzPipeline", "FuzzSafetensors", "FuzzHistogram", "FuzzRecipe"] {
            let binary = stainBinary.deletingLastPathComponent().appendingPathComponent(target)
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary.path), "\(target) is not built")
            let corpus = repositoryRoot.appendingPathComponent("Fuzz/Corpus/\(target)")
            let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
            XCTAssertFalse(files.isEmpty, "\(target) has no seed corpus")
            let process = Process()
            process.executableURL = binary
            process.arguments = [corpus.path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(target): \(text)")
            XCTAssertTrue(text.contains("replayed \(files.count) inputs"), "\(target): \(text)")
        }
    }
}
