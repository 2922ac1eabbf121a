import Foundation
import XCTest

/// SIGINT ends a run with 130 and SIGTERM with 143 (128 + the signal), leaving no output, no temporary file and no
/// folder the run created.
final class SignalCLITests: CLITestCase {
    /// Starts a run that writes for a few seconds, sends `signal` once its output pass has begun, and returns the
    /// exit status and stderr.
    func interruptedRun(_ signal: Int32) throws -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
        let side = 3000
        try TestImages.png(width: side, height: side, color: .gray, samples: TestImages.bytes(side * side, seed: 17))
            .write(to: folder.appendingPathComponent("big.png"))
        _ = try write("""
            pipeline: slow
            nodes:
              x:   {type: read, path: big.png}
              m:   {type: misalign, source: x}
              out: {type: write, source: m.out, path: new/deeper/out.png}
            """, to: "slow.yaml")
        let process = Process()
        process.executableURL = stainBinary
        // Named from its folder, so the paths in it (relative to it) are printed as written.
        process.arguments = ["run", "slow.yaml", "--threads", "1", "--progress", "json"]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while !text.contains("writing new/deeper/out.png\"") && Date() < deadline && process.isRunning {
            let chunk = err.fileHandleForReading.availableData
            text += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(text.contains("writing new/deeper/out.png"), "the output pass never began: \(text)")
        kill(process.processIdentifier, signal)
        text += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, text)
    }

    func testSigintExits130AndSigtermExits143LeavingNothing() throws {
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let r = try interruptedRun(signal)
            XCTAssertEqual(r.reason, .exit, "stain handles the signal itself")
            XCTAssertEqual(r.status, code, r.stderr)
            XCTAssertTrue(r.stderr.contains("interrupted: stopping, no output will be written"), r.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                           ["big.png", "slow.yaml"], "no output, no temporary file, no created folder")
        }
    }
}
