import Foundation
import Vips
import XCTest

/// Interpretation tags that match the band format, the 16 → 8-bit rule, and strict (fail-on-damage) loading.
final class FormatConsistencyTests: VipsTestCase {
    func testEightBitPixelsLabelledGrey16AreRelabelledBeforeSaving() throws {
        // What a cast of a grey16 image leaves behind: 8-bit pixels with a 16-bit tag.
        let values = testBytes(count: 32 * 8, seed: 11)
        let mislabelled = try VipsImage.from(buffer: values, width: 32, height: 8, bands: 1, interpretation: .grey16)
        XCTAssertEqual(mislabelled.consistentInterpretation, .bw)
        let rgb = try VipsImage.from(buffer: testBytes(count: 4 * 4 * 3), width: 4, height: 4, bands: 3,
                                     interpretation: .rgb16)
        XCTAssertEqual(rgb.consistentInterpretation, .srgb)
        let wide = try VipsImage.from(buffer: [UInt16](repeating: 9, count: 4), width: 4, height: 1, bands: 1,
                                      interpretation: .bw)
        XCTAssertEqual(wide.consistentInterpretation, .grey16)

        // The saver sees the relabelled image: an 8-bit PNG with exactly the pixels, the same bytes every time.
        try mislabelled.write(to: path("a.png"))
        try mislabelled.write(to: path("b.png"))
        let back = try VipsImage(contentsOf: path("a.png"))
        XCTAssertEqual(back.format, .uchar)
        XCTAssertEqual(try back.pixels(as: UInt8.self), values)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("a.png"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("b.png"))))
    }

    func testEightBitScalesSixteenBitByRoundingVOver257() throws {
        let values: [UInt16] = [0, 128, 129, 385, 386, 257 * 200, 65535, 65278, 65407]
        let image = try VipsImage.from(buffer: values, width: values.count, height: 1, bands: 1)
        let eight = try image.eightBit()
        XCTAssertEqual(eight.format, .uchar)
        XCTAssertEqual(eight.interpretation, .bw)
        XCTAssertEqual(try eight.pixels(as: UInt8.self),
                       values.map { UInt8((Double($0) / 257).rounded()) })
        XCTAssertEqual(try eight.pixels(as: UInt8.self), [0, 0, 1, 1, 2, 200, 255, 254, 255])
    }

    func testLoadingIsStrictByDefault() throws {
        let image = try VipsImage.from(buffer: testBytes(count: 64 * 64 * 3, seed: 3), width: 64, height: 64, bands: 3)
        try image.write(to: path("full.png"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path("full.png")))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path("cut.png")))
        let cut = try VipsImage(contentsOf: path("cut.png"))
        XCTAssertThrowsError(try cut.pixels(as: UInt8.self), "a truncated PNG must not read as black rows")
        // libvips' lenient mode stays available when asked for.
        let lenient = try VipsImage(contentsOf: path("cut.png"), options: ["fail_on": .enumeration("none")])
        XCTAssertEqual(try lenient.pixels(as: UInt8.self).count, 64 * 64 * 3)
    }
}
