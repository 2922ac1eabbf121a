import Foundation
import StainCore
import XCTest

final class ExecutorTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("stain-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func graph(fail: Bool) throws -> PipelineGraph {
        let text = """
            pipeline: p
            nodes:
              x: {type: source, value: 2}
              y: {type: source, value: 5}
              s: {type: sum, a: x, b: y, count: 1}
              w1: {type: table-writer, input: s.out, path: \(folder.path)/sum.csv}
              w2: {type: table-writer, input: s.copy, path: \(folder.path)/new/deeper/copy.csv, fail: \(fail)}
            """
        return try Validator(registry: testRegistry).validate(PipelineDocument.parse(text, file: "p.yaml"))
    }

    func testRunWritesAllOutputsAtTheEnd() throws {
        let written = try Executor(graph: graph(fail: false), context: RunContext(threads: 1)).run()
        XCTAssertEqual(Set(written), [folder.path + "/sum.csv", folder.path + "/new/deeper/copy.csv"])
        XCTAssertEqual(try String(contentsOfFile: folder.path + "/sum.csv", encoding: .utf8), "name,v\nsum,7.0\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["new", "sum.csv"])
    }

    func testFailedRunLeavesNoFileAtAll() throws {
        XCTAssertThrowsError(try Executor(graph: graph(fail: true), context: RunContext(threads: 1)).run()) { error in
            XCTAssertTrue("\(error)".contains("node 'w2' (table-writer): asked to fail"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no output, no temp file, no new folder")
    }

    func testCancelledRunStopsAndLeavesNothing() throws {
        let context = RunContext(threads: 1)
        context.outputs.cancel()
        XCTAssertThrowsError(try Executor(graph: graph(fail: false), context: context).run()) { error in
            XCTAssertEqual((error as? NodeRunError)?.kind, .interrupted)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testPlanPutsStatisticsBeforeOutputs() throws {
        let plan = ExecutionPlan(try graph(fail: false))
        XCTAssertEqual(plan.steps.map(\.kind), [.output, .output])
        XCTAssertTrue(plan.description.contains("pass 1: output — node 'w1' (table-writer)"), plan.description)
    }

    func testGraphvizExport() throws {
        let dot = GraphvizExport.dot(try graph(fail: false))
        XCTAssertTrue(dot.hasPrefix("digraph \"p\" {"))
        XCTAssertTrue(dot.contains("\"s\" -> \"w2\" [label=\"copy→source\"];"), dot)
    }

    func testNodeReferenceShowsPortsAndParameters() {
        let text = NodeReference.inspect(SumNode.descriptor)
        XCTAssertTrue(text.contains("b: table, optional — b"), text)
        XCTAssertTrue(text.contains("mode: add|max = add — how"), text)
        XCTAssertTrue(text.contains("count: int (required) — required int"), text)
        let markdown = NodeReference.markdown([SumNode.descriptor, SourceNode.descriptor])
        XCTAssertTrue(markdown.contains("| `value` | float | `1.0` | 0…100 | the value |"), markdown)
    }
}
