import Foundation
import XCTest

/// `stain run`, `stain eval` and `stain train` report progress with one machinery and one set of styles.
final class ProgressStyleCLITests: CLITestCase {
    func jsonEvents(_ stderr: String) -> [[String: Any]] {
        stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func testEvalReportsEachMetricPassAsJSONAndLines() throws {
        let pred = folder.appendingPathComponent("pred"), ref = folder.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: pred, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ref, withIntermediateDirectories: true)
        for i in 1...3 {
            try FileManager.default.copyItem(atPath: sample("tiles/brightfield/tile\(i).png"),
                                             toPath: ref.appendingPathComponent("t\(i).png").path)
            try FileManager.default.copyItem(atPath: sample("tiles/darkfield/tile\(i).png"),
                                             toPath: pred.appendingPathComponent("t\(i).png").path)
        }
        let json = try stain(["eval", "--pred", "pred", "--ref", "ref", "--metrics", "psnr,ssim", "--progress", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let passes = jsonEvents(json.stderr).filter { $0["event"] as? String == "begin" }.compactMap { $0["pass"] as? String }
        XCTAssertEqual(passes, ["psnr of 3 pairs", "ssim of 3 pairs"])
        let lines = try stain(["eval", "--pred", "pred", "--ref", "ref", "--metrics", "psnr", "--progress", "lines"])
        XCTAssertEqual(lines.status, 0, lines.stderr)
        XCTAssertTrue(lines.stderr.contains("psnr of 3 pairs…"), lines.stderr)
        XCTAssertTrue(lines.stderr.contains("psnr of 3 pairs done in"), lines.stderr)
    }

    func testRunTakesTheLinesStyleToo() throws {
        let result = try stain(["run", repositoryRoot.appendingPathComponent("pipelines/enhance.yaml").path,
                                "--set", "output=z.png", "--progress", "lines"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("pass 1 · "), result.stderr)
        XCTAssertTrue(result.stderr.contains("done in"), result.stderr)
    }
}
