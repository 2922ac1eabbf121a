import Foundation
import StainCore
import XCTest

/// The exit-code tables in README.md and docs/user-guide.md are the ones the code uses (`ExitStatus`).
final class ExitStatusDocsTests: XCTestCase {
    var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The rows `| code | meaning |` of the first table headed `| exit code | meaning |` in a Markdown file.
    func documentedTable(_ file: String) throws -> [(Int32, String)] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let header = lines.firstIndex(of: "| exit code | meaning |") else {
            XCTFail("\(file) has no exit-code table")
            return []
        }
        return lines[(header + 2)...].prefix { $0.hasPrefix("| ") }.compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let code = Int32(cells[0]) else { return nil }
            return (code, cells[1])
        }
    }

    func testDocumentedTablesMatchTheCode() throws {
        let expected = ExitStatus.allCases.map { ($0.rawValue, $0.meaning) }
        XCTAssertEqual(expected.map(\.0), [0, 1, 2, 3, 130, 143])
        for file in ["README.md", "docs/user-guide.md"] {
            let table = try documentedTable(file)
            XCTAssertEqual(table.map(\.0), expected.map(\.0), file)
            XCTAssertEqual(table.map(\.1), expected.map(\.1), file)
        }
        XCTAssertEqual(ExitStatus.stopped(by: SIGINT), .interrupted)
        XCTAssertEqual(ExitStatus.stopped(by: SIGTERM), .terminated)
        XCTAssertEqual(ExitStatus.interrupted.rawValue, 128 + SIGINT)
        XCTAssertEqual(ExitStatus.terminated.rawValue, 128 + SIGTERM)
    }
}
