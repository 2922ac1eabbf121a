import Foundation
import XCTest

/// A tiled network run reports every tile with `--progress json` (done/total, computed/skipped, network time), so a
/// long whole-slide run shows progress that moves, and the cohort report can count tiles.
final class TileProgressCLITests: CLITestCase {
    func testEveryTileOfA2048ImageIsReported() throws {
        // A 2048² dark-field image (the sample mirrored out) and a tiny random student, so the debug build is quick.
        let image = folder.appendingPathComponent("big.png").path
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        made.arguments = ["vips", "embed", sample("darkfield-source.png"), image, "0", "0", "2048", "2048", "--extend", "mirror"]
        try made.run()
        made.waitUntilExit()
        XCTAssertEqual(made.terminationStatus, 0)
        let weights = folder.appendingPathComponent("g.safetensors").path
        let saved = try stain(["bench", "generator", "--size", "16", "--runs", "1", "--filters", "2", "--blocks", "0",
                               "--save-weights", weights])
        XCTAssertEqual(saved.status, 0, saved.stderr)

        let pipeline = repositoryRoot.appendingPathComponent("pipelines/stain-unpaired.yaml").path
        let result = try stain(["run", pipeline, "--progress", "json", "--variant", "every-tile",
                                "--set", "input=\(image)", "--set", "weights=\(weights)", "--set", "filters=2",
                                "--set", "blocks=0", "--set", "tile=512",
                                "--set", "reference=\(sample("brightfield-reference.png"))",
                                "--set", "output=\(folder.appendingPathComponent("stained.tif").path)"],
                               in: repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        let events = result.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let tiles = events.filter { $0["event"] as? String == "tiles" }
        XCTAssertEqual(tiles.count, 16, "one event per 512² tile of 2048²")
        XCTAssertEqual(tiles.compactMap { $0["done"] as? Int }.sorted(), Array(1...16))
        XCTAssertTrue(tiles.allSatisfy { $0["total"] as? Int == 16 && $0["compute_s"] is Double && $0["eta_s"] is Double })
        XCTAssertEqual((tiles.last?["tiles"] as? [String: Int])?["computed"], 16)
        // Every pass names its number and node: the statistics passes come before the writer's.
        let passes = events.filter { $0["event"] as? String == "begin" }.compactMap { $0["pass"] as? String }
        XCTAssertTrue(passes.contains { $0.hasPrefix("pass 1 · ") }, "\(passes)")
        XCTAssertTrue(passes.contains { $0.contains("· save: writing") }, "\(passes)")
    }
}
