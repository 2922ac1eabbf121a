import XCTest
@testable import StainMetrics

final class NIQETests: XCTestCase {
    func testMatlabResizeMatchesBasicsr() throws {
        let f = try FixtureFile("niqe.safetensors")
        for name in ["resize_even", "resize_odd"] {
            let shape = try f.shape("\(name)_in"), outShape = try f.shape("\(name)_out")
            let input = try f.floats("\(name)_in").map { Double($0) }
            let expected = try f.floats("\(name)_out")
            let out = try MatlabResize.resize(input, width: shape[1], height: shape[0], scale: 0.5)
            XCTAssertEqual([out.height, out.width], outShape, name)
            for (a, b) in zip(out.values, expected) { XCTAssertEqual(a, Double(b), accuracy: 1e-6, name) }
        }
    }

    func testNIQEMatchesBasicsr() throws {
        let f = try FixtureFile("niqe.safetensors")
        for i in 0..<3 {
            let im = try f.image("image\(i)")
            let image = try MetricImage(width: im.width, height: im.height, channels: 3, bytes: im.bytes)
            let gray = try NIQE.score(image, conversion: .gray)
            let y = try NIQE.score(image, conversion: .ycbcrY)
            XCTAssertEqual(gray, try f.scalar("niqe_gray\(i)"), accuracy: 1e-4, "image \(i) gray")
            XCTAssertEqual(y, try f.scalar("niqe_y\(i)"), accuracy: 1e-4, "image \(i) y")
        }
    }

    func testDoubleArithmeticMatchesBasicsrInFloat64() throws {
        let f = try FixtureFile("niqe.safetensors")
        for i in [0, 2] {
            let im = try f.image("image\(i)")
            let image = try MetricImage(width: im.width, height: im.height, channels: 3, bytes: im.bytes)
            let score = try NIQE.score(image, conversion: .gray, arithmetic: .double)
            XCTAssertEqual(score, try f.scalar("niqe_gray64_\(i)"), accuracy: 1e-4, "image \(i)")
        }
    }

    func testMatlabGrayConversion() throws {
        // 0.298936·10 + 0.587043·20 + 0.114021·30 = 18.1508… → 18; pure red 255 → 76.2287 → 76; white → 255.
        let img = try MetricImage(width: 3, height: 1, channels: 3, bytes: [10, 20, 30, 255, 0, 0, 255, 255, 255])
        XCTAssertEqual(try NIQE.grayPlane(img, conversion: .matlabRGB2Gray), [18, 76, 255])
        // The gray and Y conversions before rounding, by their formulas.
        let g = try NIQE.grayPlane(img, conversion: .gray), y = try NIQE.grayPlane(img, conversion: .ycbcrY)
        XCTAssertEqual(g[0], 0.299 * 10 + 0.587 * 20 + 0.114 * 30, accuracy: 1e-4)
        XCTAssertEqual(y[2], 235, accuracy: 1e-4)
    }

    func testTooSmallImageThrows() throws {
        let image = try MetricImage(width: 150, height: 150, channels: 3,
                                    bytes: (0..<(150 * 150 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        XCTAssertThrowsError(try NIQE.score(image)) { XCTAssertTrue("\($0)".contains("two 96×96 blocks")) }
        XCTAssertThrowsError(try NIQE.score(image, cropBorder: 80))
        let flat = try MetricImage(width: 192, height: 96, channels: 1, pixels: [Float](repeating: 128, count: 192 * 96))
        XCTAssertThrowsError(try NIQE.score(flat)) { XCTAssertTrue("\($0)".contains("finite features")) }
        let twoChannel = try MetricImage(width: 192, height: 96, channels: 2, pixels: [Float](repeating: 1, count: 192 * 96 * 2))
        XCTAssertThrowsError(try NIQE.score(twoChannel)) { XCTAssertTrue("\($0)".contains("gray or RGB")) }
    }
}
