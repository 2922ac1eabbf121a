import Foundation
import XCTest

final class CLITests: CLITestCase {
    func testNodesListsEveryRequiredNode() throws {
        let r = try stain(["nodes"])
        XCTAssertEqual(r.status, 0)
        for name in ["read", "write", "histogram-matcher", "zscore-normalizer", "identity", "grayscale", "to-lab",
                     "from-lab", "darkfield-synthesizer", "misalign"] {
            XCTAssertTrue(r.stdout.split(separator: "\n").contains { $0.hasPrefix(name + " ") }, name)
        }
        let markdown = try stain(["nodes", "--markdown"])
        XCTAssertTrue(markdown.stdout.hasPrefix("# Node reference"))
    }

    func testInspectShowsPortsAndParameters() throws {
        let r = try stain(["inspect", "histogram-matcher"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("Inputs:\n  source: image"), r.stdout)
        XCTAssertTrue(r.stdout.contains("mode: inverse|forward = inverse"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Halo: 0 px"), r.stdout)
        let unknown = try stain(["inspect", "histogram-matchr"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'histogram-matcher'"), unknown.stderr)
    }

    func testRunOfTheMinimalContract() throws {
        let pipeline = try write("""
            pipeline: name
            params: {input: \(sample("darkfield-source.png"))}
            nodes:
              x:    {type: read, path: $input}
              ref:  {type: read, path: \(sample("brightfield-reference.png"))}
              z:    {type: histogram-matcher, mode: inverse, source: x, reference: ref}
              save: {type: write, source: z, path: out.png}
            variants:
              zscore: {z: {type: zscore-normalizer}}
            """, to: "p.yaml")
        let r = try stain(["run", pipeline, "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.png").path))
        let z = try stain(["run", pipeline, "--variant", "zscore", "--set", "save.path=z.png"])
        XCTAssertEqual(z.status, 0, z.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("z.png").path))
        let dot = try stain(["graph", pipeline])
        XCTAssertTrue(dot.stdout.contains("\"x\" -> \"z\" [label=\"out→source\"];"), dot.stdout)
    }

    func testValidateReportsEachErrorWithPositionAndExitsTwo() throws {
        let cases: [(String, String)] = [
            ("nodes:\n  x: {type: raed, path: a.png}\n", "bad.yaml:3:13: node 'x', key 'type': unknown node type 'raed' (did you mean 'read'?)"),
            ("nodes:\n  a: {type: identity, source: b}\n  b: {type: identity, source: a}\n", "bad.yaml:3:3: node 'a': cycle: a -> b -> a"),
            ("nodes:\n  x: {type: read, path: \(sample("darkfield-source.png")), level: two}\n", "key 'level': expected an int, got 'two'"),
            ("nodes:\n  x: {type: read, path: missing.png}\n", "bad.yaml:3:25: node 'x', key 'path': missing file 'missing.png'"),
        ]
        for (body, expected) in cases {
            let pipeline = try write("pipeline: bad\n" + body + "  out: {type: write, source: x, path: never.png}\n", to: "bad.yaml")
            let r = try stain(["validate", "bad.yaml"])
            XCTAssertEqual(r.status, 2, body)
            XCTAssertTrue(r.stderr.contains(expected), "expected \(expected) in:\n\(r.stderr)")
            let run = try stain(["run", pipeline])
            XCTAssertEqual(run.status, 2)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("never.png").path))
        }
    }

    func testCorruptInputExitsThreeAndWritesNothing() throws {
        try Data(repeating: 7, count: 300).write(to: folder.appendingPathComponent("corrupt.png"))
        let pipeline = try write("""
            pipeline: p
            nodes:
              x:   {type: read, path: corrupt.png}
              out: {type: write, source: x, path: result.png}
            """, to: "p.yaml")
        let r = try stain(["run", pipeline])
        XCTAssertEqual(r.status, 3, r.stderr)
        // The path is relative to the pipeline file, which was named by its absolute path.
        XCTAssertTrue(r.stderr.contains("'\(folder.path)/corrupt.png' is not an image"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["corrupt.png", "p.yaml"])
    }

    func testHistogramCommandWritesAReusableReference() throws {
        let r = try stain(["histogram", sample("brightfield-reference.png"), "-o", "ref.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let pipeline = try write("""
            pipeline: p
            nodes:
              x:   {type: read, path: \(sample("darkfield-source.png"))}
              ref: {type: load-histogram, path: ref.json}
              z:   {type: histogram-matcher, source: x, reference: ref}
              out: {type: write, source: z, path: z.png}
            """, to: "p.yaml")
        XCTAssertEqual(try stain(["run", pipeline]).status, 0)
    }

    func testShippedPipelinesValidate() throws {
        let folder = repositoryRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        // Pipelines whose metrics need weight files (not bundled) validate without them through their no-weights
        // variant; the others validate as shipped, with the bundled samples and models.
        let withoutWeights = ["evaluate-paired.yaml": "no-lpips", "evaluate-unpaired.yaml": "niqe-only"]
        for file in files {
            let variant = withoutWeights[file].map { ["--variant", $0] } ?? []
            let r = try stain(["validate", "pipelines/" + file] + variant, in: repositoryRoot)
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
        }
    }

    func testMissingMetricWeightsStopTheRunAtValidation() throws {
        let r = try stain(["validate", "pipelines/evaluate-paired.yaml"], in: repositoryRoot)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("node 'lpips', key 'weights': missing weights"), r.stderr)
        XCTAssertTrue(r.stderr.contains("STAINKIT_LPIPS_WEIGHTS"), r.stderr)
    }

    func testEvalPrintsTheTableAndNamesUnpairedFiles() throws {
        let pred = folder.appendingPathComponent("pred"), ref = folder.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: pred, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ref, withIntermediateDirectories: true)
        for i in 1...3 {
            let tile = sample("tiles/brightfield/tile\(i).png")
            try FileManager.default.copyItem(atPath: tile, toPath: ref.appendingPathComponent("t\(i).png").path)
            try FileManager.default.copyItem(atPath: sample("tiles/darkfield/tile\(i).png"),
                                             toPath: pred.appendingPathComponent("t\(i)_fake_B.png").path)
        }
        let r = try stain(["eval", "--pred", "pred", "--ref", "ref", "--strip-suffix", "_fake_B",
                           "--metrics", "psnr,ssim", "--json", "r.json", "--csv", "r.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("psnr "), r.stdout)
        XCTAssertTrue(r.stdout.contains("(3)"), r.stdout)
        let csv = try String(contentsOf: folder.appendingPathComponent("r.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("name,psnr,ssim\nt1,"), csv)
        try FileManager.default.removeItem(at: ref.appendingPathComponent("t2.png"))
        let missing = try stain(["eval", "--pred", "pred", "--ref", "ref", "--strip-suffix", "_fake_B"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.contains("prediction 't2' has no reference"), missing.stderr)
        let skipping = try stain(["eval", "--pred", "pred", "--ref", "ref", "--strip-suffix", "_fake_B", "--allow-unpaired"])
        XCTAssertEqual(skipping.status, 0)
        XCTAssertTrue(skipping.stderr.contains("warning: skipping prediction 't2' has no reference"), skipping.stderr)
        XCTAssertTrue(skipping.stdout.contains("(2)"), skipping.stdout)
        XCTAssertEqual(try stain(["eval", "--pred", "pred", "--metrics", "psnr,bogus"]).status, 2)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try stain(["run"]).status, 2)
        XCTAssertEqual(try stain(["frobnicate"]).status, 2)
    }
}
