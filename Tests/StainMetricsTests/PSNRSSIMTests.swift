import XCTest
@testable import StainMetrics

final class PSNRSSIMTests: XCTestCase {
    func loadPair(_ f: FixtureFile, _ i: Int) throws -> (MetricImage, MetricImage) {
        let a = try f.image("a\(i)"), b = try f.image("b\(i)")
        return (try MetricImage(width: a.width, height: a.height, channels: a.channels, bytes: a.bytes),
                try MetricImage(width: b.width, height: b.height, channels: b.channels, bytes: b.bytes))
    }

    func testPSNRAndSSIMMatchReference() throws {
        let f = try FixtureFile("psnr_ssim.safetensors")
        for i in 0..<3 {
            let (a, b) = try loadPair(f, i)
            XCTAssertEqual(try PSNR.score(a, b), try f.scalar("psnr\(i)"), accuracy: 1e-9, "pair \(i)")
            XCTAssertEqual(try SSIM.score(a, b), try f.scalar("ssim\(i)"), accuracy: 1e-9, "pair \(i)")
        }
    }

    func testIdenticalImages() throws {
        let f = try FixtureFile("psnr_ssim.safetensors")
        let (a, _) = try loadPair(f, 1)
        XCTAssertEqual(try PSNR.score(a, a), .infinity)
        XCTAssertEqual(try SSIM.score(a, a), 1, accuracy: 1e-12)
    }

    func testSizeMismatchAndSmallImagesThrow() throws {
        let a = try MetricImage(width: 12, height: 12, channels: 3, bytes: [UInt8](repeating: 9, count: 432))
        let b = try MetricImage(width: 12, height: 11, channels: 3, bytes: [UInt8](repeating: 9, count: 396))
        XCTAssertThrowsError(try PSNR.score(a, b)) { XCTAssertTrue("\($0)".contains("12×12×3 vs 12×11×3")) }
        XCTAssertThrowsError(try SSIM.score(a, b))
        let tiny = try MetricImage(width: 10, height: 12, channels: 1, bytes: [UInt8](repeating: 0, count: 120))
        XCTAssertThrowsError(try SSIM.score(tiny, tiny)) { XCTAssertTrue("\($0)".contains("at least 11×11")) }
        XCTAssertThrowsError(try MetricImage(width: 4, height: 4, channels: 3, bytes: [1, 2, 3]))
    }

    func testLumaQuantisation() throws {
        // 0.114·10 + 0.587·20 + 0.299·30 = 21.85 → 22; 0.299·255 = 76.245 → 76.
        let img = try MetricImage(width: 2, height: 1, channels: 3, bytes: [30, 20, 10, 255, 0, 0])
        XCTAssertEqual(try img.quantisedLumaRGB().pixels, [22, 22, 22, 76, 76, 76])
    }
}
