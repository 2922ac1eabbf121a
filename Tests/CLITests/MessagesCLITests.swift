import Foundation
import StainCore
import StainKit
import Vips
import XCTest

/// What people read: `stain --version`, option mistakes, file errors that name their file (never a temporary
/// name or a Foundation error dump), and the provenance of `stain eval`'s tables.
final class MessagesCLITests: CLITestCase {
    func testVersionNamesStainKitLibvipsAndOpenBLAS() throws {
        let r = try stain(["--version"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "stain (StainKit) \(StainKitVersion.current)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("libvips \(Vips.version) (OpenSlide loader: ") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("OpenBLAS 0.") && $0.contains("(OpenBLAS ") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("BLAS core: ") && $0.contains(" threads") }, r.stdout)
        let help = try stain(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--version") && help.stdout.contains("SUBCOMMANDS:"), help.stdout)
        let bare = try stain([])
        XCTAssertEqual(bare.status, 0)
        XCTAssertTrue(bare.stdout.contains("SUBCOMMANDS:"), bare.stdout)
    }

    func testThreadCountsBelowOneAreRefusedWithAReason() throws {
        let pipeline = repositoryRoot.appendingPathComponent("pipelines/enhance.yaml").path
        for arguments in [["run", pipeline, "--threads", "-1"], ["run", pipeline, "--threads", "0"],
                          ["train", "recipe.yaml", "--threads", "-1"], ["bench", "generator", "--threads", "0"]] {
            let r = try stain(arguments)
            XCTAssertEqual(r.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("--threads must be at least 1"), r.stderr)
            XCTAssertFalse(r.stderr.contains("Missing value"), r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing was written")
    }

    /// Foundation says "The operation could not be completed. The file doesn't exist." or "(NSCocoaErrorDomain
    /// error 512.)" without naming a file; the commands say which file and why.
    func testFileErrorsNameTheFileTheUserGave() throws {
        try Data("x".utf8).write(to: folder.appendingPathComponent("taken"))
        let tiles = sample("tiles/brightfield")
        let cases: [([String], String)] = [
            (["eval", "--pred", tiles, "--ref", tiles, "--json", "taken/r.json"],
             "error: cannot write 'taken/r.json': 'taken' is a file, not a folder"),
            (["histogram", sample("darkfield-source.png"), "-o", "taken/h.json"],
             "error: cannot write 'taken/h.json': 'taken' is a file, not a folder"),
            (["dataset", "synth", "--from", sample("brightfield-source.png"), "--out", "taken/set", "--size", "128"],
             "error: cannot write 'taken/set': 'taken' is a file, not a folder"),
        ]
        for (arguments, expected) in cases {
            let r = try stain(arguments)
            XCTAssertEqual(r.status, 1, arguments.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(expected), "expected \(expected) in:\n\(r.stderr)")
            for leak in ["The operation could not be completed", "NSCocoaErrorDomain", ".partial", ".tmp"] {
                XCTAssertFalse(r.stderr.contains(leak), r.stderr)
            }
        }
        let missing = try stain(["eval", "--pred", "no-such-folder", "--ref", tiles])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "error: --pred: no such folder 'no-such-folder'\n")
        // Missing folders are created, as pipeline writers create theirs.
        let nested = try stain(["histogram", sample("darkfield-source.png"), "-o", "new/deeper/h.json"])
        XCTAssertEqual(nested.status, 0, nested.stderr)
    }

    /// A file or folder that is not there is a usage error (exit 2), as a missing input file is in a pipeline;
    /// exit 3 is for files that are there but unreadable.
    func testMissingInputsAreUsageErrors() throws {
        let tiles = sample("tiles/brightfield")
        let cases: [([String], String)] = [
            (["histogram", "missing.png", "-o", "h.json"], "error: no such file 'missing.png'"),
            (["dataset", "synth", "--from", "missing.png", "--out", "set"], "error: --from: no such file 'missing.png'"),
            (["eval", "--pred", tiles, "--ref", tiles, "--metrics", "psnr,lpips", "--lpips-weights", "none.safetensors"],
             "error: LPIPS (AlexNet v0.1) weights: no such file 'none.safetensors'; create it once with"),
            (["eval", "--pred", tiles, "--ref", "missing-folder"], "error: --ref: no such folder 'missing-folder'"),
        ]
        for (arguments, expected) in cases {
            let r = try stain(arguments)
            XCTAssertEqual(r.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(r.stderr.hasPrefix(expected), "expected \(expected) in:\n\(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing was written")
    }

    /// Every table `stain eval` writes gets a sidecar that identifies the files it scored; --no-provenance removes
    /// an old one. One identical pair makes the PSNR mean infinite, printed `inf`.
    func testEvalWritesProvenanceNextToItsTables() throws {
        let pred = folder.appendingPathComponent("pred"), ref = folder.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: pred, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ref, withIntermediateDirectories: true)
        for i in 1...2 {
            try FileManager.default.copyItem(atPath: sample("tiles/brightfield/tile\(i).png"),
                                             toPath: ref.appendingPathComponent("t\(i).png").path)
        }
        try FileManager.default.copyItem(atPath: sample("tiles/brightfield/tile1.png"),
                                         toPath: pred.appendingPathComponent("t1_fake_B.png").path)
        try FileManager.default.copyItem(atPath: sample("tiles/darkfield/tile2.png"),
                                         toPath: pred.appendingPathComponent("t2_fake_B.png").path)
        let r = try stain(["eval", "--pred", "pred", "--ref", "ref", "--strip-suffix", "_fake_B",
                           "--json", "report/r.json", "--csv", "report/r.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("psnr      inf ± n/a (2)"), r.stdout)
        for table in ["report/r.json", "report/r.csv"] {
            let sidecar = folder.appendingPathComponent(table + ".provenance.json")
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: sidecar)) as? [String: Any])
            XCTAssertEqual(object["output"] as? String, table)
            XCTAssertEqual(object["output-sha256"] as? String,
                           try SHA256.hex(file: folder.appendingPathComponent(table).path))
            let evaluation = try XCTUnwrap(object["evaluation"] as? [String: Any])
            XCTAssertEqual(evaluation["metrics"] as? [String], ["psnr", "ssim"])
            XCTAssertEqual((evaluation["settings"] as? [String: Any])?["strip-suffix"] as? String, "_fake_B")
            let inputs = try XCTUnwrap(object["inputs"] as? [String: [String: Any]])
            let predFiles = try XCTUnwrap(inputs["pred"]?["files"] as? [String: String])
            XCTAssertEqual(predFiles["t2"], "sha256:" + (try SHA256.hex(file: pred.appendingPathComponent("t2_fake_B.png").path)))
            XCTAssertEqual((inputs["ref"]?["files"] as? [String: String])?.keys.sorted(), ["t1", "t2"])
            XCTAssertEqual((object["versions"] as? [String: String])?["stainkit"], StainKitVersion.current)
            XCTAssertTrue((object["command-line"] as? [String])?.contains("--strip-suffix") == true)
        }
        let again = try stain(["eval", "--pred", "pred", "--ref", "ref", "--strip-suffix", "_fake_B",
                               "--json", "report/r.json", "--no-provenance"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report/r.json.provenance.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report/r.csv.provenance.json").path))
        // A table never replaces an image it scored.
        let clobber = try stain(["eval", "--pred", "pred", "--ref", "ref", "--strip-suffix", "_fake_B",
                                 "--csv", "ref/t1.png"])
        XCTAssertEqual(clobber.status, 2)
        XCTAssertTrue(clobber.stderr.contains("would replace the scored image"), clobber.stderr)
    }
}
