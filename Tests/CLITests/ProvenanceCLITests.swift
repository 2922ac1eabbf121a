import Foundation
import XCTest

/// The provenance sidecar records what shaped the output: a PNG's lists no TIFF settings, a TIFF's does.
final class ProvenanceCLITests: CLITestCase {
    func writeParameters(_ output: String) throws -> [String: Any] {
        let pipeline = try write("""
            pipeline: p
            nodes:
              x: {type: read, path: \(sample("darkfield-source.png"))}
              w: {type: write, source: x, path: \(output)}
            """, to: "p.yaml")
        let result = try stain(["run", pipeline, "--progress", "none"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + ".provenance.json")))
        let nodes = (sidecar as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
        return nodes.first { $0["type"] as? String == "write" }?["parameters"] as? [String: Any] ?? [:]
    }

    func testAPNGProvenanceListsNoTIFFSettings() throws {
        let png = try writeParameters(folder.appendingPathComponent("x.png").path)
        XCTAssertEqual(Set(png.keys), ["path"])
        let tiff = try writeParameters(folder.appendingPathComponent("x.tif").path)
        XCTAssertTrue(Set(tiff.keys).isSuperset(of: ["path", "compression", "tile-size", "pyramid"]), "\(tiff.keys)")
    }
}
