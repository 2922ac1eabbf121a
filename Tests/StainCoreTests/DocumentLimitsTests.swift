import Foundation
import StainCore
import XCTest

/// Pipeline text is bounded before Yams parses it: deep nesting (which overflows the parser's stack), aliases,
/// size and node count give a `file:line:col` diagnostic instead of a crash.
final class DocumentLimitsTests: XCTestCase {
    /// The one diagnostic parsing `text` gives.
    func problem(_ text: String, limits: DocumentLimits = .standard) -> String {
        do {
            _ = try PipelineDocument.parse(text, file: "p.yaml", limits: limits)
            XCTFail("expected a limit to stop the text")
            return ""
        } catch let invalid as PipelineInvalid {
            XCTAssertEqual(invalid.diagnostics.count, 1)
            XCTAssertFalse(invalid.isUnreadableInput)
            return invalid.description
        } catch {
            XCTFail("unexpected \(error)")
            return ""
        }
    }

    func testTenKilobytesOfNestedBracketsAndMapsAreRefusedAtTheirPosition() {
        XCTAssertEqual(problem("pipeline: x\nnodes: " + String(repeating: "[", count: 10_000)),
                       "p.yaml:2:39: lists and mappings nested 33 deep; a pipeline file may nest at most 32 levels "
                       + "(a pipeline needs 4)")
        XCTAssertTrue(problem("pipeline: x\nnodes: " + String(repeating: "{a: ", count: 2_500))
            .hasPrefix("p.yaml:2:"))
        XCTAssertTrue(problem("pipeline: x\nnodes:\n  " + String(repeating: "- ", count: 5_000))
            .contains("nested 33 deep"))
        let indented = (0..<200).map { String(repeating: " ", count: $0 + 2) + "k\($0):" }.joined(separator: "\n")
        XCTAssertTrue(problem("pipeline: x\nnodes:\n" + indented).hasPrefix("p.yaml:34:"))
    }

    func testNothingHidesBracketsFromTheCount() {
        let deep = String(repeating: "[", count: 10_000)
        // A quote inside a plain scalar is text, not the start of a quoted string.
        XCTAssertTrue(problem("pipeline: x\ndescription: a\"b\nnodes: " + deep).contains("nested 33 deep"))
        XCTAssertTrue(problem("pipeline: x\ndescription: it's\nnodes: " + deep).contains("nested 33 deep"))
        // Content after a document marker is structure.
        XCTAssertTrue(problem("--- " + deep).contains("nested 33 deep"))
        // A block scalar ends where the indentation does.
        XCTAssertTrue(problem("pipeline: x\ndescription: |\n  text\nnodes: " + deep).contains("nested 33 deep"))
        // Texts that are not YAML stop at their syntax error, before any deep structure is built.
        XCTAssertTrue(problem("pipeline: x\n- key: |\n  " + deep).contains("YAML syntax error"))
        XCTAssertTrue(problem("pipeline: x\ndescription: a 'b: " + deep).contains("YAML syntax error"))
    }

    func testAliasesSizeEntriesAndNodeCountAreBounded() {
        var laughs = "pipeline: x\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 {
            laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        XCTAssertTrue(problem(laughs).contains("more than 100000 values (keys, items and what aliases expand to)"),
                      problem(laughs))
        XCTAssertTrue(problem("pipeline: x\ndescription: " + String(repeating: "y", count: 1 << 20))
            .contains("the limit is 1048576 (1024 KiB)"))
        var small = DocumentLimits()
        small.maxValues = 50
        XCTAssertTrue(problem("pipeline: x\nnodes: [" + Array(repeating: "a", count: 60).joined(separator: ", ") + "]",
                              limits: small).contains("more than 50 values"))
        // Aliases count as what they stand for: 5 aliases of a 10-item list are 50+ values.
        XCTAssertTrue(problem("pipeline: x\na: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a]\n",
                              limits: small).contains("more than 50 values"))
        small = DocumentLimits()
        small.maxNodes = 2
        XCTAssertEqual(problem("pipeline: x\nnodes:\n  a: {type: t}\n  b: {type: t}\n  c: {type: t}\n", limits: small),
                       "p.yaml:5:3: more than 2 nodes; a pipeline may have at most 2")
    }

    func testBracketsInQuotesCommentsAndBlockTextAreNotStructure() throws {
        let deep = String(repeating: "[", count: 100)
        let text = """
            pipeline: x   # \(deep)
            description: |
              \(deep) text, not structure {{{{
                \(deep)
            params:
              a: "\(deep)"
              b: '\(deep) it''s'
              c: don't [stop] here
            nodes:
              n: {type: t, key: value}
            """
        let document = try PipelineDocument.parse(text, file: "p.yaml")
        XCTAssertEqual(document.nodes.map(\.id), ["n"])
        XCTAssertEqual(document.params.first { $0.name == "a" }?.value.text, deep)
    }
}
