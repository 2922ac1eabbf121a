// Typed shortcuts agree with what they stand for.
import Vips
import XCTest

final class ConvenienceTests: VipsTestCase {
    let pixels = testBytes(count: 20 * 10 * 3, seed: 31)

    func rgb() throws -> VipsImage { try VipsImage.from(buffer: pixels, width: 20, height: 10, bands: 3) }

    func testCastCropBandsJoin() throws {
        let image = try rgb()
        XCTAssertEqual(try image.cast(to: .float).pixels(as: Float.self), pixels.map(Float.init))
        XCTAssertTrue(try image.cast(to: .uchar) === image)
        let nearlyWhole = try VipsImage.from(buffer: [Float(54.9999), 54.4, -3, 300.2], width: 4, height: 1, bands: 1)
        XCTAssertEqual(try nearlyWhole.cast(to: .uchar).pixels(as: UInt8.self), [55, 54, 0, 255])
        XCTAssertEqual(try nearlyWhole.cast(to: .uchar, round: false).pixels(as: UInt8.self), [54, 54, 0, 255])
        XCTAssertEqual(try nearlyWhole.cast(to: .short).pixels(as: Int16.self), [55, 54, -3, 300])
        XCTAssertEqual(try image.crop(x: 2, y: 3, width: 4, height: 5).pixels(as: UInt8.self),
                       try image.region(x: 2, y: 3, width: 4, height: 5, as: UInt8.self))
        let greenBlue = try image.extractBands(1, count: 2)
        XCTAssertEqual(greenBlue.bands, 2)
        XCTAssertEqual(try greenBlue.pixels(as: UInt8.self),
                       pixels.enumerated().filter { $0.offset % 3 != 0 }.map(\.element))
        let joined = try greenBlue.bandjoin([try image.extractBands(0)])
        XCTAssertEqual(joined.bands, 3)
        XCTAssertEqual(try joined.extractBands(2).pixels(as: UInt8.self),
                       stride(from: 0, to: pixels.count, by: 3).map { pixels[$0] })
    }

    func testResizeColourspaceTagsFlatten() throws {
        let image = try rgb()
        let half = try image.resize(scale: 0.5)
        XCTAssertEqual([half.width, half.height], [10, 5])
        let lab = try image.colourspace(.lab)
        XCTAssertEqual(lab.interpretation, .lab)
        XCTAssertEqual(lab.format, .float)
        XCTAssertEqual(try image.colourspace(.bw).bands, 1)
        XCTAssertEqual(try image.withInterpretation(.multiband).interpretation, .multiband)
        let tagged = try image.withResolution(x: 4, y: 2)
        XCTAssertEqual(tagged.xres, 4)
        XCTAssertEqual(tagged.yres, 2)
        let transparent = try VipsImage.from(buffer: [UInt8](repeating: 0, count: 2 * 2 * 4), width: 2, height: 2,
                                             bands: 4)
        let flat = try transparent.flatten(background: [255])
        XCTAssertEqual(flat.bands, 3)
        XCTAssertEqual(try flat.pixels(as: UInt8.self), [UInt8](repeating: 255, count: 12))
        XCTAssertTrue(try image.flatten() === image)
    }

    func testMinMaxAndHistogram() throws {
        let image = try rgb()
        let range = try image.minMax()
        XCTAssertEqual(range.min, Double(pixels.min()!))
        XCTAssertEqual(range.max, Double(pixels.max()!))
        let histogram = try image.histogram()
        XCTAssertEqual(histogram.count, 3)
        XCTAssertEqual(histogram[0].count, 256)
        for band in 0..<3 {
            var expected = [Int](repeating: 0, count: 256)
            for index in stride(from: band, to: pixels.count, by: 3) { expected[Int(pixels[index])] += 1 }
            XCTAssertEqual(histogram[band], expected)
        }
        XCTAssertThrowsError(try image.cast(to: .float).histogram())
    }
}
