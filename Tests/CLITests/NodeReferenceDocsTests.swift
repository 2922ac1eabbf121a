import Foundation
import XCTest

/// docs/nodes.md is generated: it must equal `stain nodes --markdown` exactly, so the node reference can never
/// drift from the declarations it is read from.
final class NodeReferenceDocsTests: CLITestCase {
    func testNodeReferenceEqualsTheGeneratedOne() throws {
        let generated = try stain(["nodes", "--markdown"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/nodes.md"), encoding: .utf8)
        XCTAssertEqual(committed, generated.stdout,
                       "docs/nodes.md is out of date: regenerate it with `stain nodes --markdown > docs/nodes.md`")
    }
}
