// OpenSlide through libvips: the loader module is present, and it opens a libvips pyramidal TIFF (as
// generic-tiff) at a chosen level.
import Vips
import XCTest

final class OpenSlideTests: VipsTestCase {
    func testOpenSlideReadsOurPyramidalTIFFLevels() throws {
        XCTAssertTrue(Vips.hasOperation("openslideload"))
        let pixels = gradientRGB(width: 256, height: 256)
        let image = try VipsImage.from(buffer: pixels, width: 256, height: 256, bands: 3, interpretation: .srgb)
        try image.write(to: path("slide.tif"), options: [
            "tile": .bool(true), "tile_width": .int(64), "tile_height": .int(64), "pyramid": .bool(true),
            "compression": .enumeration("jpeg"), "Q": .int(95),
        ])
        XCTAssertEqual(VipsImage.loaderName(for: path("slide.tif")), "tiffload",
                       "libvips keeps generic TIFFs for tiffload")
        let level0 = try VipsImage(contentsOf: path("slide.tif"), loader: "openslideload")
        XCTAssertEqual(level0.stringField("openslide.vendor"), "generic-tiff")
        XCTAssertEqual(level0.stringField("openslide.level-count"), "3")
        XCTAssertEqual(level0.stringField("openslide.level[0].tile-width"), "64")
        XCTAssertEqual([level0.width, level0.height, level0.bands], [256, 256, 4])
        let level1 = try VipsImage(contentsOf: path("slide.tif"), loader: "openslideload", options: ["level": .int(1)])
        XCTAssertEqual([level1.width, level1.height], [128, 128])
        let level2 = try VipsImage(contentsOf: path("slide.tif"), loader: "openslideload", options: ["level": .int(2)])
        XCTAssertEqual([level2.width, level2.height], [64, 64])
        XCTAssertThrowsError(try VipsImage(contentsOf: path("slide.tif"), loader: "openslideload",
                                           options: ["level": .int(3)]))

        // Level 0 pixels (RGB of RGBA) match what was written, up to JPEG loss.
        let rgb = try level0.call("extract_band", ["band": .int(0), "n": .int(3)])
        let back = try rgb.region(x: 32, y: 32, width: 64, height: 64, as: UInt8.self)
        var expected: [UInt8] = []
        for y in 32..<96 { expected += pixels[((y * 256 + 32) * 3)..<((y * 256 + 96) * 3)] }
        let meanError = zip(back, expected).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(back.count)
        XCTAssertLessThan(meanError, 2.5)
    }

    func testSlideLevelThroughBlendedTilesToPyramidAndBack() throws {
        let pixels = gradientRGB(width: 256, height: 256)
        let image = try VipsImage.from(buffer: pixels, width: 256, height: 256, bands: 3)
        try image.write(to: path("in.tif"), options: ["tile": .bool(true), "tile_width": .int(64),
                                                      "tile_height": .int(64), "pyramid": .bool(true),
                                                      "compression": .enumeration("deflate")])
        let level1 = try VipsImage(contentsOf: path("in.tif"), loader: "openslideload", options: ["level": .int(1)])
            .flatten()
        XCTAssertEqual([level1.width, level1.height, level1.bands], [128, 128, 3])
        // A per-pixel "network" (inversion) on overlapping tiles, then an 8-bit pyramidal TIFF.
        let inverted = try VipsImage.generateBlended(from: level1, inputAs: Float.self, outputBands: 3,
                                                     tileSize: (48, 48), overlap: 8, halo: 4) { request in
            var out = [Float](repeating: 0, count: request.outputCount)
            for y in 0..<request.height {
                for x in 0..<request.width {
                    for band in 0..<3 {
                        let value = request.input[((y + 4) * request.inputWidth + x + 4) * 3 + band]
                        out[(y * request.width + x) * 3 + band] = 255 - value
                    }
                }
            }
            return out
        }
        try inverted.cast(to: .uchar).withInterpretation(.srgb).write(to: path("out.tif"), options: [
            "tile": .bool(true), "tile_width": .int(32), "tile_height": .int(32), "pyramid": .bool(true),
            "compression": .enumeration("jpeg"), "Q": .int(95),
        ])
        let reopened = try VipsImage(contentsOf: path("out.tif"), loader: "openslideload")
        XCTAssertEqual(reopened.stringField("openslide.level-count"), "3")
        let back = try reopened.flatten().pixels(as: UInt8.self)
        let expected = try level1.pixels(as: UInt8.self).map { 255 - $0 }
        let meanError = zip(back, expected).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(back.count)
        XCTAssertLessThan(meanError, 2.0)
    }
}
