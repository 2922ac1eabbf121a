import Foundation
import XCTest

/// Paths in a pipeline file are relative to the file, paths given with `--set` to the current folder
/// (docs/pipeline-files.md, "Paths"), so the shipped pipelines work from any folder.
final class PipelinePathsCLITests: CLITestCase {
    var shipped: URL { repositoryRoot.appendingPathComponent("pipelines") }

    /// The evaluation pipelines' metrics need weight files that are not bundled; their no-weights variants run.
    let withoutWeights = ["evaluate-paired.yaml": "no-lpips", "evaluate-unpaired.yaml": "niqe-only"]

    func shippedFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: shipped.path).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    func testShippedPipelinesValidateFromAnotherFolder() throws {
        for file in try shippedFiles() {
            let variant = withoutWeights[file].map { ["--variant", $0] } ?? []
            let r = try stain(["validate", shipped.appendingPathComponent(file).path] + variant)
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
        }
    }

    func testSetPathsAreRelativeToTheCurrentFolder() throws {
        let r = try stain(["run", shipped.appendingPathComponent("enhance.yaml").path, "--set", "output=rel.png"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote rel.png\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["rel.png", "rel.png.provenance.json"])
        // An input given with --set is looked for here too.
        try FileManager.default.copyItem(atPath: sample("darkfield-source.png"),
                                         toPath: folder.appendingPathComponent("mine.png").path)
        let mine = try stain(["run", shipped.appendingPathComponent("enhance.yaml").path,
                              "--set", "input=mine.png", "--set", "output=mine-z.png"])
        XCTAssertEqual(mine.status, 0, mine.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mine-z.png").path))
    }

    /// A copy of the repository's layout: the shipped pipelines, and the bundled samples and models (links).
    func repositoryCopy() throws -> URL {
        let copy = folder.appendingPathComponent("StainKit")
        let manager = FileManager.default
        try manager.createDirectory(at: copy.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
        for file in try shippedFiles() {
            try manager.copyItem(at: shipped.appendingPathComponent(file),
                                 to: copy.appendingPathComponent("pipelines/" + file))
        }
        for name in ["samples", "models"] {
            try manager.createSymbolicLink(at: copy.appendingPathComponent(name),
                                           withDestinationURL: repositoryRoot.appendingPathComponent(name))
        }
        return copy
    }

    /// Every shipped pipeline runs on the bundled samples with no --set, from a folder that is not the repository:
    /// it reads the samples and models next to it and writes into its own `out/`, and nothing where it runs.
    func testEveryShippedPipelineRunsFromAnotherFolderWithoutSettings() throws {
        let copy = try repositoryCopy()
        let cwd = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        for file in try shippedFiles() {
            let variant = withoutWeights[file].map { ["--variant", $0] } ?? []
            let r = try stain(["run", copy.appendingPathComponent("pipelines/" + file).path, "--threads", "2"] + variant,
                              in: cwd)
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
            let written = r.stdout.split(separator: "\n").filter { $0.hasPrefix("wrote ") }
            XCTAssertFalse(written.isEmpty, "\(file): \(r.stdout)")
            for line in written {
                XCTAssertTrue(line.hasPrefix("wrote \(copy.path)/out/"), "\(file): \(line)")
                XCTAssertTrue(FileManager.default.fileExists(atPath: String(line.dropFirst("wrote ".count))), String(line))
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd.path), [])
    }

    /// From the repository root, the shipped pipelines name what they read and write as the README shows them.
    func testShippedPipelinePathsFromTheRepositoryRoot() throws {
        let r = try stain(["describe", "pipelines/enhance.yaml"], in: repositoryRoot)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("path: samples/darkfield-source.png"), r.stdout)
        XCTAssertTrue(r.stdout.contains("path: out/enhanced.png"), r.stdout)
    }

    func testErrorsNameTheResolvedPathAtItsPosition() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        _ = try write("pipeline: p\nnodes:\n  x: {type: read, path: missing.png}\n  w: {type: write, source: x, path: o.png}\n",
                      to: "sub/p.yaml")
        let r = try stain(["validate", "sub/p.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("sub/p.yaml:3:25: node 'x', key 'path': missing file 'sub/missing.png'"), r.stderr)
        // Weights are files too: relative to the pipeline file; empty (the default) means the environment variable.
        _ = try write("pipeline: e\nnodes:\n  a: {type: read-folder, path: .}\n  m: {type: lpips, prediction: a, reference: a, weights: w.safetensors}\n",
                      to: "sub/e.yaml")
        let weights = try stain(["validate", "sub/e.yaml"])
        XCTAssertEqual(weights.status, 2)
        XCTAssertTrue(weights.stderr.contains("sub/e.yaml:4:58: node 'm', key 'weights': missing file 'sub/w.safetensors'"),
                      weights.stderr)
        let set = try stain(["validate", "sub/p.yaml", "--set", "x.path=missing.png"])
        XCTAssertTrue(set.stderr.contains(
            "command line '--set x.path=missing.png': node 'x', key 'path': missing file 'missing.png'"), set.stderr)
    }
}
