import XCTest
@testable import StainMetrics

final class MetricSummaryTests: XCTestCase {
    func testMeanAndStd() {
        let s = MetricSummary([1, 2, 3, 4, .infinity])
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.std, (1.25 as Double).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(s.formatted(decimals: 2), "2.50 ± 1.12")
        XCTAssertTrue(MetricSummary([]).mean.isNaN)
    }

    func testTableCSVAndJSON() throws {
        var t = try MetricTable(metrics: ["psnr", "ssim"])
        try t.append(name: "a,1.png", values: ["psnr": 20, "ssim": 0.5])
        try t.append(name: "b.png", values: ["psnr": 30])
        XCTAssertThrowsError(try t.append(name: "c", values: ["lpips": 1]))
        XCTAssertEqual(t.csv(), "image,psnr,ssim\n\"a,1.png\",20.0,0.5\nb.png,30.0,\nmean,25.0,0.5\nstd,5.0,0.0\n")
        let json = t.json()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let images = parsed["images"] as! [[String: Any]]
        XCTAssertEqual(images[1]["image"] as? String, "b.png")
        XCTAssertTrue(images[1]["ssim"] is NSNull)
        let summary = parsed["summary"] as! [String: [String: Any]]
        XCTAssertEqual(summary["psnr"]?["mean"] as? Double, 25)
        XCTAssertEqual(summary["ssim"]?["count"] as? Int, 1)
    }
}
