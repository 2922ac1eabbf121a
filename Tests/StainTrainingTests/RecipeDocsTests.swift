import Foundation
import StainTraining
import XCTest

/// docs/training.md shows the recipe key table exactly as the code declares it.
final class RecipeDocsTests: XCTestCase {
    func testTrainingDocListsEveryRecipeKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/training.md"), encoding: .utf8)
        guard let begin = doc.range(of: "<!-- recipe-keys:begin -->\n"), let end = doc.range(of: "<!-- recipe-keys:end -->") else {
            return XCTFail("docs/training.md has no recipe-keys markers")
        }
        XCTAssertEqual(String(doc[begin.upperBound..<end.lowerBound]), RecipeField.markdownTable,
                       "regenerate the table with `stain train --list-keys`")
    }

    func testShippedRecipesParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.appendingPathComponent("recipes")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(names.count, 4)
        for name in names {
            // Data and weights folders are made by the user; everything else must be valid as shipped.
            do {
                _ = try RecipeParser.load(path: folder.appendingPathComponent(name).path)
            } catch let invalid as RecipeInvalid {
                for d in invalid.diagnostics {
                    XCTAssertTrue(d.message.hasPrefix("missing folder") || d.message.hasPrefix("missing file"),
                                  "\(name): \(d)")
                }
            }
        }
    }
}
