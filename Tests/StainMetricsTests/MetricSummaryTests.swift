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
}
