// Buffers in and out: identity for every element type, region reads, and mismatches as errors.
import Vips
import XCTest

final class PixelTests: VipsTestCase {
    func roundTrip<T: VipsPixel & Equatable>(_ values: [T], width: Int, height: Int, bands: Int) throws {
        let image = try VipsImage.from(buffer: values, width: width, height: height, bands: bands)
        XCTAssertEqual(image.format, T.bandFormat)
        XCTAssertEqual([image.width, image.height, image.bands], [width, height, bands])
        XCTAssertEqual(try image.pixels(as: T.self), values)
    }

    func testBufferImageBufferIdentityForEveryType() throws {
        let bytes = testBytes(count: 7 * 5 * 2, seed: 8)
        try roundTrip(bytes, width: 7, height: 5, bands: 2)
        try roundTrip(bytes.map { Int8(bitPattern: $0) }, width: 7, height: 5, bands: 2)
        try roundTrip(bytes.map { UInt16($0) * 257 }, width: 5, height: 7, bands: 2)
        try roundTrip(bytes.map { Int16($0) - 300 }, width: 7, height: 5, bands: 2)
        try roundTrip(bytes.map { UInt32($0) << 20 }, width: 14, height: 5, bands: 1)
        try roundTrip(bytes.map { Int32($0) - 1_000_000 }, width: 7, height: 10, bands: 1)
        try roundTrip(bytes.map { Float($0) / 7 - 3 }, width: 7, height: 5, bands: 2)
        try roundTrip(bytes.map { Double($0) / 3 + 1e-9 }, width: 35, height: 1, bands: 2)
    }

    func testDefaultAndExplicitInterpretation() throws {
        let gray = try VipsImage.from(buffer: [UInt8](repeating: 0, count: 4), width: 2, height: 2, bands: 1)
        let rgb = try VipsImage.from(buffer: [UInt8](repeating: 0, count: 12), width: 2, height: 2, bands: 3)
        let rgba = try VipsImage.from(buffer: [UInt8](repeating: 0, count: 16), width: 2, height: 2, bands: 4)
        let deep = try VipsImage.from(buffer: [UInt16](repeating: 0, count: 12), width: 2, height: 2, bands: 3)
        let features = try VipsImage.from(buffer: [Float](repeating: 0, count: 12), width: 2, height: 2, bands: 3)
        XCTAssertEqual([gray, rgb, rgba, deep, features].map(\.interpretation), [.bw, .srgb, .srgb, .rgb16, .multiband])
        XCTAssertTrue(rgba.hasAlpha)
        let lab = try VipsImage.from(buffer: [Float](repeating: 0, count: 12), width: 2, height: 2, bands: 3,
                                     interpretation: .lab)
        XCTAssertEqual(lab.interpretation, .lab)
        XCTAssertEqual(Interpretation.bw.nick, "b-w")
        XCTAssertEqual(Interpretation.srgb.nick, "srgb")
    }

    func testRegionReadsTheRightRectangle() throws {
        let width = 23, height = 17, bands = 3
        let values = testBytes(count: width * height * bands, seed: 12).map(Float.init)
        let image = try VipsImage.from(buffer: values, width: width, height: height, bands: bands)
        let (x, y, w, h) = (5, 4, 9, 6)
        var expected: [Float] = []
        for row in y..<(y + h) {
            expected += values[((row * width + x) * bands)..<((row * width + x + w) * bands)]
        }
        XCTAssertEqual(try image.region(x: x, y: y, width: w, height: h, as: Float.self), expected)
        XCTAssertEqual(try image.region(x: 0, y: 0, width: width, height: height, as: Float.self), values)
    }

    func testMismatchesThrow() throws {
        let image = try VipsImage.from(buffer: [UInt8](repeating: 3, count: 12), width: 4, height: 3, bands: 1)
        XCTAssertThrowsError(try image.pixels(as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("cast it first"), "\(error)")
        }
        XCTAssertThrowsError(try image.region(x: 2, y: 0, width: 3, height: 1, as: UInt8.self))
        XCTAssertThrowsError(try image.region(x: -1, y: 0, width: 1, height: 1, as: UInt8.self))
        XCTAssertThrowsError(try image.region(x: 0, y: 0, width: 0, height: 1, as: UInt8.self))
        XCTAssertThrowsError(try VipsImage.from(buffer: [UInt8](repeating: 0, count: 11), width: 4, height: 3,
                                                bands: 1))
        XCTAssertThrowsError(try VipsImage.from(buffer: [UInt8](), width: 0, height: 0, bands: 1))
        XCTAssertThrowsError(try VipsImage.from(buffer: [UInt8](), width: 1 << 30, height: 1 << 30, bands: 1 << 30))
        XCTAssertThrowsError(try image.region(x: Int.max, y: 0, width: Int.max, height: 1, as: UInt8.self))
    }

    func testMetadataFields() throws {
        let image = try VipsImage.from(buffer: [UInt8](repeating: 0, count: 12), width: 4, height: 3, bands: 1)
        XCTAssertTrue(image.fieldNames.contains("width"))
        XCTAssertEqual(image.intField("width"), 4)
        XCTAssertEqual(image.stringField("height"), "3")
        XCTAssertNil(image.intField("no-such-field"))
        XCTAssertNil(image.stringField("no-such-field"))
        XCTAssertEqual(image.pageCount, 1)
        let described = try image.withField("image-description", string: "stainkit test")
            .withField("stainkit-version", int: 3)
        XCTAssertEqual(described.stringField("image-description"), "stainkit test")
        XCTAssertEqual(described.intField("stainkit-version"), 3)
        XCTAssertNil(image.stringField("image-description"), "the original is untouched")
        try described.write(to: path("described.tif"))
        XCTAssertEqual(try VipsImage(contentsOf: path("described.tif")).stringField("image-description"),
                       "stainkit test")
    }
}
