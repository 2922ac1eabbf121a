import Foundation
import StainCore
import XCTest

/// Validation refuses outputs that would replace an input, share a path, or land on another output's sidecar.
final class OutputPathsTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("OutputPaths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("a,b\n".utf8).write(to: folder.appendingPathComponent("in.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.csv").path,
                                                   withDestinationPath: folder.appendingPathComponent("in.csv").path)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func errors(_ nodes: String) -> [String] {
        do {
            _ = try Validator(registry: testRegistry).validate(
                PipelineDocument.parse("pipeline: p\nnodes:\n" + nodes, file: "p.yaml"))
            XCTFail("expected validation errors")
            return []
        } catch let invalid as PipelineInvalid {
            XCTAssertFalse(invalid.isUnreadableInput)
            return invalid.diagnostics.map(\.description)
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testOutputEqualToAnInputIsRefused() {
        let f = folder.path
        for spelling in ["\(f)/in.csv", "\(f)/./sub/../in.csv", "\(f)/link.csv"] {
            XCTAssertEqual(errors("""
                  r: {type: file-source, path: \(f)/in.csv}
                  w: {type: table-writer, input: r, path: \(spelling)}
                """), ["p.yaml:4:43: node 'w', key 'path': output '\(spelling)' is the input file of node 'r' "
                       + "(key 'path'); writing it would replace the input: choose another output path"])
        }
    }

    func testTwoOutputsWithOnePathAndSidecarCollisionsAreRefused() {
        let f = folder.path
        XCTAssertEqual(errors("""
              s: {type: source, value: 1}
              a: {type: table-writer, input: s, path: \(f)/x.csv}
              b: {type: table-writer, input: s, path: \(f)/new/../x.csv}
            """), ["p.yaml:5:43: node 'b', key 'path': output '\(f)/new/../x.csv' is also written by node 'a' "
                   + "(key 'path'); two outputs cannot share a path"])
        for order in [["a", "b"], ["b", "a"]] {
            let lines = ["  a: {type: table-writer, input: s, path: \(f)/x.csv}",
                         "  b: {type: table-writer, input: s, path: \(f)/x.csv.provenance.json}"]
            let text = "  s: {type: source, value: 1}\n" + (order == ["a", "b"] ? lines : lines.reversed()).joined(separator: "\n")
            let found = errors(text)
            XCTAssertEqual(found.count, 1, "\(found)")
            XCTAssertTrue(found.first?.contains("node 'b', key 'path': output '\(f)/x.csv.provenance.json' is the "
                                                + "provenance sidecar of node 'a''s output '\(f)/x.csv'") == true,
                          "\(found)")
        }
    }

    func testDistinctOutputsPass() throws {
        let f = folder.path
        let graph = try Validator(registry: testRegistry).validate(PipelineDocument.parse("""
            pipeline: p
            nodes:
              r: {type: file-source, path: \(f)/in.csv}
              a: {type: table-writer, input: r, path: \(f)/x.csv}
              b: {type: table-writer, input: r, path: \(f)/y.csv}
            """, file: "p.yaml"))
        XCTAssertEqual(graph.nodes.count, 3)
    }
}
