import Foundation
import StainCore
import XCTest

/// The typed node declarations: what the descriptor reads from them, how values come back typed, renamed ports,
/// and validation reporting node-construction errors together with every other problem.
final class NodeDeclarationTests: XCTestCase {
    func validate(_ text: String) throws -> PipelineGraph {
        try Validator(registry: testRegistry).validate(PipelineDocument.parse(text, file: "p.yaml"))
    }

    func testDescriptorIsReadFromTheDeclarationInOrder() {
        let d = SumNode.descriptor
        XCTAssertEqual(d.name, "sum")
        XCTAssertEqual(d.inputs.map(\.name), ["a", "b"])
        XCTAssertEqual(d.outputs.map(\.name), ["out", "copy"])
        XCTAssertEqual(d.parameters.map(\.name), ["mode", "count"])
        XCTAssertEqual(d.parameter("mode")?.type, .choice(["add", "max"]), "a choice lists its enum's raw values")
        XCTAssertEqual(d.parameter("mode")?.defaultValue, .string("add"))
        XCTAssertNil(d.parameter("count")?.defaultValue, "no default: required")
        XCTAssertEqual(SourceNode.descriptor.parameter("value")?.range, 0...100)
        XCTAssertEqual(d.halo, 0)
        XCTAssertFalse(d.needsStatistics)
    }

    func testValuesComeBackTypedAndInCodeSettingsAreChecked() throws {
        let p = try Configuration<SumNode.Declaration>([.set(\.count, 3), .set(\.mode, .max)])
        XCTAssertEqual(try p.count, 3)
        XCTAssertEqual(try p.mode, .max)
        XCTAssertThrowsError(try Configuration<SumNode.Declaration>([.set(\.mode, .add)]), "count is required") {
            XCTAssertEqual(($0 as? NodeConfigurationError)?.key, "count")
        }
        XCTAssertThrowsError(try Configuration<SourceNode.Declaration>([.set(\.value, 101)]), "out of range") {
            XCTAssertTrue(($0 as? NodeConfigurationError)?.message.contains("out of range") == true)
        }
    }

    func testARenamedPortStillWorksWithAWarningNamingTheNewName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let graph = try validate("""
            pipeline: p
            nodes:
              s: {type: source}
              w: {type: table-writer, input: s, path: \(folder.path)/t.csv}
            """)
        XCTAssertEqual(graph.node("w")?.inputs["source"], PipelineGraph.Edge(node: "s", port: "out"))
        XCTAssertEqual(graph.warnings.map(\.description),
                       ["p.yaml:4:34: node 'w', key 'input': input 'input' of table-writer is now called 'source'; "
                        + "the old name will stop working in the next release"])
    }

    func testConstructionErrorsAreReportedTogetherWithOtherProblems() {
        // count 13 is refused by the node's initializer; the unknown type and the bad range are other nodes'.
        do {
            _ = try validate("""
                pipeline: p
                nodes:
                  x: {type: source, value: 200}
                  s: {type: sum, a: y, count: 13}
                  y: {type: source}
                  z: {type: nosuch}
                """)
            XCTFail("expected errors")
        } catch let invalid as PipelineInvalid {
            let text = invalid.diagnostics.map(\.description).joined(separator: "\n")
            XCTAssertTrue(text.contains("13 is unlucky"), text)
            XCTAssertTrue(text.contains("out of range"), text)
            XCTAssertTrue(text.contains("unknown node type 'nosuch'"), text)
            XCTAssertEqual(invalid.diagnostics.count, 3, text)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }
}
