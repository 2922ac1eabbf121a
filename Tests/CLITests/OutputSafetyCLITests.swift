import Foundation
import XCTest

/// Outputs never clobber inputs or each other, and their provenance sidecars describe exactly the file next to them.
final class OutputSafetyCLITests: CLITestCase {
    func sha256(_ name: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [folder.appendingPathComponent(name).path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    func testSidecarHashesItsOutputAndNoProvenanceRemovesAStaleOne() throws {
        let pipeline = try write("""
            pipeline: p
            nodes:
              x:   {type: read, path: \(sample("darkfield-source.png"))}
              g:   {type: grayscale, source: x}
              out: {type: write, source: g, path: out.png}
            """, to: "p.yaml")
        let first = try stain(["run", pipeline, "--threads", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let sidecar = folder.appendingPathComponent("out.png.provenance.json")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: sidecar)) as! [String: Any]
        XCTAssertEqual(record["output-sha256"] as? String, try sha256("out.png"))
        XCTAssertEqual(try sha256("out.png").count, 64)
        let commandLine = record["command-line"] as? [String] ?? []
        XCTAssertEqual(Array(commandLine.dropFirst()), ["run", pipeline, "--threads", "1"])
        XCTAssertTrue(commandLine.first?.hasSuffix("stain") == true, "\(commandLine)")

        let second = try stain(["run", pipeline, "--no-provenance"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sidecar.path), "a stale sidecar would describe another run")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["out.png", "p.yaml"])
    }
}
