import Foundation
import StainCore
import XCTest

/// Cancelling and committing exclude each other, and a discard leaves no temporary file of any writer.
final class OutputStagingTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("Staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func contents(_ url: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    func testAnInterruptAfterTheCommitBeganIsRefusedAndOneBeforeStopsTheCommit() throws {
        let late = OutputStaging()
        try Data("x".utf8).write(to: URL(fileURLWithPath: late.stage(folder.appendingPathComponent("a.txt").path)))
        try late.commit()
        XCTAssertFalse(late.cancel(), "too late: the outputs are in place, the interrupt must not claim otherwise")
        XCTAssertFalse(late.isCancelled)
        XCTAssertEqual(try contents(folder), ["a.txt"])

        let early = OutputStaging()
        let out = folder.appendingPathComponent("new/b.txt").path
        try Data("y".utf8).write(to: URL(fileURLWithPath: early.stage(out)))
        XCTAssertTrue(early.cancel())
        XCTAssertThrowsError(try early.commit()) { error in
            XCTAssertEqual((error as? NodeRunError)?.kind, .interrupted)
        }
        XCTAssertEqual(try contents(folder), ["a.txt"], "no output, no temporary file, no created folder")
    }

    func testDiscardRemovesTheTemporaryFilesOfAtomicSavers() throws {
        let staging = OutputStaging()
        let staged = URL(fileURLWithPath: try staging.stage(folder.appendingPathComponent("sub/out.png").path))
        // What the Vips saver leaves when the process is stopped mid-write: a hidden temp next to the staged file.
        let saverTemporary = staged.deletingLastPathComponent()
            .appendingPathComponent("." + staged.deletingPathExtension().lastPathComponent + ".tmp-1234.png")
        try Data().write(to: saverTemporary)
        try Data().write(to: staged)
        staging.discard()
        XCTAssertEqual(try contents(folder), [])
    }
}
