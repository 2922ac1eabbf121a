import Foundation
import StainCore
import XCTest

final class ValidatorTests: XCTestCase {
    func validate(_ text: String, _ settings: PipelineSettings = .init()) throws -> PipelineGraph {
        try Validator(registry: testRegistry).validate(PipelineDocument.parse(text, file: "p.yaml"), settings)
    }

    /// The diagnostics of an invalid pipeline, as printed.
    func errors(_ text: String, _ settings: PipelineSettings = .init()) -> [String] {
        do {
            _ = try validate(text, settings)
            XCTFail("expected validation errors")
            return []
        } catch let invalid as PipelineInvalid {
            return invalid.diagnostics.map(\.description)
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    func testValidPipelineOrdersNodesByDependency() throws {
        let graph = try validate("""
            pipeline: ok
            nodes:
              s: {type: sum, a: x, b: y, count: 2}
              x: {type: source, value: 2}
              y: {type: source, value: 3.5}
            """)
        let order = graph.nodes.map(\.id)
        XCTAssertLessThan(order.firstIndex(of: "x")!, order.firstIndex(of: "s")!)
        XCTAssertLessThan(order.firstIndex(of: "y")!, order.firstIndex(of: "s")!)
        XCTAssertEqual(graph.node("s")!.inputs["a"], PipelineGraph.Edge(node: "x", port: "out"))
        XCTAssertEqual(graph.node("y")!.parameters["value"], .float(3.5))
        XCTAssertEqual(graph.node("s")!.parameters["mode"], .string("add"), "default filled in")
    }

    func testUnknownNodeTypeWithSuggestionAndPosition() {
        let e = errors("""
            pipeline: p
            nodes:
              x: {type: sourse}
            """)
        XCTAssertEqual(e.count, 1)
        XCTAssertTrue(e[0].hasPrefix("p.yaml:3:13: node 'x', key 'type': unknown node type 'sourse' (did you mean 'source'?)"), e[0])
    }

    func testWrongParameterTypeAndRange() {
        let e = errors("""
            pipeline: p
            nodes:
              x: {type: source, value: lots}
              y: {type: source, value: 101}
              s: {type: sum, a: x, count: 1.5, mode: mul}
            """)
        XCTAssertEqual(e.count, 4, "\(e)")
        XCTAssertTrue(e.contains { $0.hasPrefix("p.yaml:3:28: node 'x', key 'value': expected a number, got 'lots'") }, "\(e)")
        XCTAssertTrue(e.contains { $0.contains("node 'y', key 'value': 101.0 is out of range 0...100") }, "\(e)")
        XCTAssertTrue(e.contains { $0.contains("node 's', key 'count': expected an int, got '1.5'") }, "\(e)")
        XCTAssertTrue(e.contains { $0.contains("node 's', key 'mode': expected one of add, max, got 'mul'") }, "\(e)")
    }

    func testCycleIsReported() {
        let e = errors("""
            pipeline: p
            nodes:
              a: {type: sum, a: b.out, count: 1}
              b: {type: sum, a: a.out, count: 1}
            """)
        XCTAssertEqual(e.count, 1)
        XCTAssertTrue(e[0].hasPrefix("p.yaml:3:3: node 'a': cycle: a -> b -> a") || e[0].contains("cycle: b -> a -> b"), e[0])
    }

    func testMissingFileIsReportedAtItsKey() throws {
        let e = errors("""
            pipeline: p
            nodes:
              x: {type: source}
              w: {type: table-writer, input: x, path: /etc/hostname/out.csv}
            """)
        XCTAssertEqual(e, ["p.yaml:4:43: node 'w', key 'path': cannot write '/etc/hostname/out.csv': '/etc/hostname' is a file, not a folder"])
        // A missing output folder is fine: the run creates it.
        _ = try validate("""
            pipeline: p
            nodes:
              x: {type: source}
              w: {type: table-writer, input: x, path: /tmp/no-such-folder-\(UUID().uuidString)/a/out.csv}
            """)
    }

    func testUnknownKeyMissingParameterAndDanglingEdge() {
        let e = errors("""
            pipeline: p
            nodes:
              s: {type: sum, a: nowhere, colour: red}
            """)
        XCTAssertTrue(e.contains { $0.contains("node 's', key 'colour': unknown key for sum") }, "\(e)")
        XCTAssertTrue(e.contains { $0.contains("node 's', key 'count': missing required parameter") }, "\(e)")
        XCTAssertTrue(e.contains { $0.contains("node 's', key 'a': no node named 'nowhere'") }, "\(e)")
    }

    func testPortKindMismatchAndMissingPort() {
        let e = errors("""
            pipeline: p
            nodes:
              h: {type: histogram-source}
              x: {type: source}
              s: {type: sum, a: h, b: x.nope, count: 1}
            """)
        XCTAssertTrue(e.contains { $0.contains("key 'a': port type mismatch: 'h.out' gives histogram, this port takes table") }, "\(e)")
        XCTAssertTrue(e.contains { $0.contains("key 'b': node 'x' (source) has no output 'nope'") }, "\(e)")
    }

    func testSeveralOutputsNeedAPortName() {
        let e = errors("""
            pipeline: p
            nodes:
              x: {type: source}
              s: {type: sum, a: x, count: 1}
              t: {type: sum, a: s, count: 1}
            """)
        XCTAssertTrue(e.contains { $0.contains("node 't', key 'a': node 's' has several outputs") }, "\(e)")
    }

    func testNodeConfigurationErrorPointsAtKey() {
        let e = errors("""
            pipeline: p
            nodes:
              x: {type: source}
              s: {type: sum, a: x, count: 13}
            """)
        XCTAssertEqual(e, ["p.yaml:4:31: node 's', key 'count': 13 is unlucky"])
    }

    func testYamlSyntaxErrorHasPosition() {
        let e = errors("pipeline: p\nnodes:\n  x: {type: source\n")
        XCTAssertEqual(e.count, 1)
        XCTAssertTrue(e[0].hasPrefix("p.yaml:"), e[0])
        XCTAssertTrue(e[0].contains("YAML syntax error"), e[0])
    }

    func testParamsSetAndVariants() throws {
        let text = """
            pipeline: p
            params: {v: 4}
            nodes:
              x: {type: source, value: $v, label: "run-${v}"}
              s: {type: sum, a: x, count: 1}
            variants:
              biggest: {s: {mode: max}}
              swap: {x: {type: histogram-source}}
            """
        let plain = try validate(text)
        XCTAssertEqual(plain.node("x")!.parameters["value"], .float(4))
        XCTAssertEqual(plain.node("x")!.parameters["label"], .string("run-4"))
        let set = try validate(text, .init(overrides: ["v=7", "s.mode=max"]))
        XCTAssertEqual(set.node("x")!.parameters["value"], .float(7))
        XCTAssertEqual(set.node("s")!.parameters["mode"], .string("max"))
        XCTAssertEqual(try validate(text, .init(variant: "biggest")).node("s")!.parameters["mode"], .string("max"))
        // A variant that changes the type drops keys the new type does not take, then checks edges again.
        let e = errors(text, .init(variant: "swap"))
        XCTAssertTrue(e.contains { $0.contains("port type mismatch: 'x.out' gives histogram") }, "\(e)")
        XCTAssertEqual(errors(text, .init(overrides: ["w=1"])),
                       ["command line '--set w=1': key 'w': no such pipeline parameter (did you mean 'v'?)"])
        XCTAssertEqual(errors(text, .init(variant: "nope")),
                       ["command line '--variant nope': unknown variant 'nope'; known: biggest, swap"])
        XCTAssertTrue(errors(text, .init(overrides: ["x.value=abc"]))[0]
            .hasPrefix("command line '--set x.value=abc': node 'x', key 'value': expected a number"))
    }

    func testUnknownParameterReference() {
        let e = errors("""
            pipeline: p
            params: {value: 1}
            nodes:
              x: {type: source, value: $valu}
            """)
        XCTAssertEqual(e, ["p.yaml:4:28: node 'x', key 'value': unknown parameter '$valu' (did you mean 'value'?)"])
    }

    func testTopLevelStructureErrors() {
        XCTAssertTrue(errors("pipeline: p\nnodez: {}\n").contains { $0.contains("unknown top-level key (did you mean 'nodes'?)") })
        XCTAssertTrue(errors("- a\n- b\n")[0].contains("a pipeline file is a mapping"))
        XCTAssertTrue(errors("pipeline: p\nnodes:\n  x: {type: source}\n  x: {type: source}\n").contains { $0.contains("duplicate node id") })
    }
}
