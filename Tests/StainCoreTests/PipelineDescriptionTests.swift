import StainCore
import XCTest

/// `stain describe`'s account of a pipeline, from the file alone.
final class PipelineDescriptionTests: XCTestCase {
    let text = """
        pipeline: p
        params: {v: 2, unused: x}
        nodes:
          x: {type: source, value: $v}
          s: {type: sum, a: x, count: 1, mode: max}
        variants:
          swap:   {s: {type: source, value: 3, label: kept}}
          edit:   {s: {mode: ~, count: 2, b: x}, n: {type: source, value: 4}}
          remove: {x: ~}
          empty:  {}
        """

    func changes(_ variant: String) throws -> [String] {
        let document = try PipelineDocument.parse(text, file: "p.yaml")
        let blocks = try XCTUnwrap(document.variants.first { $0.name == variant }).nodes
        return PipelineDescription.changes(blocks, to: document.nodes, registry: testRegistry)
    }

    func testVariantChanges() throws {
        XCTAssertEqual(try changes("swap"), ["s: sum → source (drops a, count, mode)", "s.value: 3", "s.label: kept"])
        XCTAssertEqual(try changes("edit"), ["s.mode: removed (was max)", "s.count: 1 → 2", "s.b: x",
                                             "n: added (source)", "n.value: 4"])
        XCTAssertEqual(try changes("remove"), ["x: removed"])
        XCTAssertEqual(try changes("empty"), ["(no changes)"])
    }

    func testTextListsParamsNodesAndVariants() throws {
        let document = try PipelineDocument.parse(text, file: "p.yaml")
        let pipeline = ResolvedPipeline(document, .init(overrides: ["v=5"], variant: "swap"), registry: testRegistry)
        let text = PipelineDescription.text(pipeline, registry: testRegistry)
        XCTAssertTrue(text.hasPrefix("pipeline 'p' (p.yaml)\n\nparams:\n"
            + "  v = 5  (from --set, relative to the current folder)\n    used by x.value\n"
            + "  unused = x  (from the file, line 2)\n    not used\n\n"
            + "nodes (variant swap):\n  x: source\n    value: 5\n  s: source\n    value: 3\n    label: kept\n\n"
            + "variants:\n  swap:\n    s: sum → source (drops a, count, mode)\n"), text)
    }

    func testLongDescriptionsAreWrapped() {
        XCTAssertEqual(PipelineDescription.wrapped("aa bb cc dddddddd e", width: 5), ["aa bb", "cc", "dddddddd", "e"])
        XCTAssertEqual(PipelineDescription.wrapped("one\ntwo", width: 80), ["one", "two"])
    }
}
