import Foundation
import StainCore
import XCTest

final class ValueTests: XCTestCase {
    func testHistogramCDFAndJSONRoundTrip() throws {
        var counts = [UInt64](repeating: 0, count: 256)
        counts[0] = 1; counts[10] = 2; counts[255] = 1
        let h = try Histogram(counts: counts, source: "test")
        XCTAssertEqual(h.cdf[0], 0.25)
        XCTAssertEqual(h.cdf[9], 0.25)
        XCTAssertEqual(h.cdf[10], 0.75)
        XCTAssertEqual(h.cdf[255], 1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try h.write(to: path)
        XCTAssertEqual(try Histogram.load(path: path), h)
    }

    func testBadHistogramsAreErrors() throws {
        XCTAssertThrowsError(try Histogram(counts: [1, 2, 3]))
        XCTAssertThrowsError(try Histogram(counts: [UInt64](repeating: 0, count: 256)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"counts\": [1, 2]}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Histogram.load(path: path)) { XCTAssertTrue("\($0)".contains("256 bins"), "\($0)") }
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Histogram.load(path: path)) { XCTAssertTrue("\($0)".contains("not a histogram file"), "\($0)") }
    }

    func testTableSummaryCSVAndJSON() throws {
        let t = Table(columns: ["psnr", "ssim"], rows: [.init(label: "a.png", values: [20, 0.5]),
                                                         .init(label: "b,c.png", values: [30, .nan])])
        let s = t.summary()
        XCTAssertEqual(s[0].mean, 25)
        XCTAssertEqual(s[0].std, 5)
        XCTAssertEqual(s[1].mean, 0.5)
        XCTAssertEqual(s[1].count, 1)
        XCTAssertEqual(t.csv(), "name,psnr,ssim\na.png,20.0,0.5\n\"b,c.png\",30.0,nan\n")
        let json = try JSONSerialization.jsonObject(with: t.json()) as! [String: Any]
        XCTAssertEqual((json["summary"] as! [String: [String: Any]])["psnr"]!["mean"] as? Double, 25)
    }

    func testSpellingSuggestions() {
        XCTAssertEqual(Spelling.closest(to: "histogram-matchr", in: ["histogram-matcher", "read"]), "histogram-matcher")
        XCTAssertNil(Spelling.closest(to: "xyz", in: ["histogram-matcher"]))
        XCTAssertEqual(Spelling.distance("kitten", "sitting"), 3)
    }

    func testOutputStagingCommitsAndDiscards() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let staging = OutputStaging()
        let final = folder.appendingPathComponent("a.txt").path
        try "old".write(toFile: final, atomically: true, encoding: .utf8)
        let temp = staging.stage(final)
        XCTAssertTrue(temp.hasSuffix(".txt"))
        try "new".write(toFile: temp, atomically: true, encoding: .utf8)
        XCTAssertEqual(try String(contentsOfFile: final, encoding: .utf8), "old", "nothing replaced before commit")
        try staging.commit()
        XCTAssertEqual(try String(contentsOfFile: final, encoding: .utf8), "new")
        let other = staging.stage(folder.appendingPathComponent("b.txt").path)
        try "x".write(toFile: other, atomically: true, encoding: .utf8)
        staging.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.txt"])
    }
}
