// Load/save round trips (PNG, JPEG, TIFF, tiled pyramidal TIFF), bad files, and atomic writes.
import Foundation
import Vips
import XCTest

final class LoadSaveTests: VipsTestCase {
    func testStartReportsVersionAndOpenSlide() throws {
        let info = try Vips.start()
        XCTAssertTrue(info.version.hasPrefix("8."), info.version)
        XCTAssertTrue(info.hasOpenSlide)
        XCTAssertTrue(Vips.hasOperation("openslideload"))
        XCTAssertTrue(Vips.hasOperation("tiffsave"))
        XCTAssertFalse(Vips.hasOperation("no_such_operation_here"))
        XCTAssertEqual(try Vips.start(), info)
    }

    func testPNGRoundTripIsExact() throws {
        let pixels = testBytes(count: 32 * 24 * 3)
        let image = try VipsImage.from(buffer: pixels, width: 32, height: 24, bands: 3, interpretation: .srgb)
        try image.write(to: path("a.png"))
        let loaded = try VipsImage(contentsOf: path("a.png"))
        XCTAssertEqual(loaded.width, 32)
        XCTAssertEqual(loaded.height, 24)
        XCTAssertEqual(loaded.bands, 3)
        XCTAssertEqual(loaded.format, .uchar)
        XCTAssertEqual(loaded.interpretation, .srgb)
        XCTAssertFalse(loaded.hasAlpha)
        XCTAssertEqual(try loaded.pixels(as: UInt8.self), pixels)
        XCTAssertEqual(try folderContents(), ["a.png"])
    }

    func testPNGWithAlpha() throws {
        let pixels = testBytes(count: 8 * 8 * 4, seed: 7)
        let image = try VipsImage.from(buffer: pixels, width: 8, height: 8, bands: 4, interpretation: .srgb)
        try image.write(to: path("alpha.png"))
        let loaded = try VipsImage(contentsOf: path("alpha.png"))
        XCTAssertTrue(loaded.hasAlpha)
        XCTAssertEqual(try loaded.pixels(as: UInt8.self), pixels)
    }

    func testJPEGRoundTripIsClose() throws {
        let pixels = gradientRGB(width: 48, height: 32)
        let image = try VipsImage.from(buffer: pixels, width: 48, height: 32, bands: 3, interpretation: .srgb)
        try image.write(to: path("a.jpg"), options: ["Q": .int(95)])
        let loaded = try VipsImage(contentsOf: path("a.jpg"))
        XCTAssertEqual(VipsImage.loaderName(for: path("a.jpg")), "jpegload")
        XCTAssertEqual([loaded.width, loaded.height, loaded.bands], [48, 32, 3])
        let back = try loaded.pixels(as: UInt8.self)
        let meanError = zip(back, pixels).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(pixels.count)
        XCTAssertLessThan(meanError, 2.0)
        XCTAssertGreaterThan(meanError, 0.0, "JPEG is lossy: an exact match means the wrong saver ran")
    }

    func testTIFFRoundTripFloatIsExact() throws {
        let values = (0..<(20 * 10 * 2)).map { Float($0) * 0.25 - 7 }
        let image = try VipsImage.from(buffer: values, width: 20, height: 10, bands: 2)
        try image.write(to: path("f.tif"))
        let loaded = try VipsImage(contentsOf: path("f.tif"))
        XCTAssertEqual(loaded.format, .float)
        XCTAssertEqual(try loaded.pixels(as: Float.self), values)
        try image.write(to: path("f.tiff"), options: ["compression": .enumeration("deflate")])
        XCTAssertEqual(try VipsImage(contentsOf: path("f.tiff")).pixels(as: Float.self), values)
    }

    func testTiledPyramidalTIFF() throws {
        let pixels = gradientRGB(width: 64, height: 64)
        let image = try VipsImage.from(buffer: pixels, width: 64, height: 64, bands: 3, interpretation: .srgb)
        try image.write(to: path("pyr.tif"), options: [
            "tile": .bool(true), "tile_width": .int(16), "tile_height": .int(16), "pyramid": .bool(true),
            "compression": .enumeration("jpeg"), "Q": .int(90), "bigtiff": .bool(false),
        ])
        let full = try VipsImage(contentsOf: path("pyr.tif"))
        XCTAssertEqual(full.pageCount, 3, "levels 64, 32, 16")
        XCTAssertEqual(full.width, 64)
        let levels = try (0..<3).map { try VipsImage(contentsOf: path("pyr.tif"), options: ["page": .int($0)]) }
        XCTAssertEqual(levels.map(\.width), [64, 32, 16])
        XCTAssertEqual(levels.map(\.height), [64, 32, 16])
        XCTAssertThrowsError(try VipsImage(contentsOf: path("pyr.tif"), options: ["page": .int(3)]))
    }

    func testMissingFileThrows() {
        XCTAssertThrowsError(try VipsImage(contentsOf: path("nope.png"))) { error in
            XCTAssertTrue("\(error)".contains("no such image file"), "\(error)")
        }
    }

    func testRandomBytesNamedPNGThrows() throws {
        let bytes = testBytes(count: 4096, seed: 99)
        try Data(bytes).write(to: URL(fileURLWithPath: path("junk.png")))
        XCTAssertThrowsError(try VipsImage(contentsOf: path("junk.png"))) { error in
            XCTAssertTrue(error is VipsError)
        }
    }

    func testOtherBrokenFilesThrow() throws {
        let image = try VipsImage.from(buffer: gradientRGB(width: 32, height: 32), width: 32, height: 32, bands: 3)
        try image.write(to: path("ok.jpg"))
        try image.write(to: path("ok.tif"), options: ["tile": .bool(true), "tile_width": .int(16),
                                                      "tile_height": .int(16)])
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: path("ok.jpg")))
        let tiff = try Data(contentsOf: URL(fileURLWithPath: path("ok.tif")))
        try Data().write(to: URL(fileURLWithPath: path("empty.png")))
        try jpeg.prefix(jpeg.count / 3).write(to: URL(fileURLWithPath: path("cut.jpg")))
        try (tiff.prefix(16) + Data(testBytes(count: 2000, seed: 8))).write(to: URL(fileURLWithPath: path("bad.tif")))
        try Data(testBytes(count: 300, seed: 1)).write(to: URL(fileURLWithPath: path("noise.svs")))
        for (name, options) in [("empty.png", [:]), ("cut.jpg", ["fail_on": VipsValue.enumeration("truncated")]),
                                ("bad.tif", [:]), ("noise.svs", [:])] as [(String, [String: VipsValue])] {
            XCTAssertThrowsError(try {
                let broken = try VipsImage(contentsOf: path(name), options: options)
                _ = try broken.pixels(as: UInt8.self)
            }(), name)
        }
        XCTAssertThrowsError(try VipsImage(contentsOf: path("noise.svs"), loader: "openslideload"))
        XCTAssertThrowsError(try VipsImage(contentsOf: folder.path), "a folder is not an image")
    }

    func testTruncatedPNGThrowsOnLoadOrRead() throws {
        let image = try VipsImage.from(buffer: testBytes(count: 64 * 64 * 3, seed: 3), width: 64, height: 64,
                                       bands: 3)
        try image.write(to: path("full.png"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path("full.png")))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path("cut.png")))
        XCTAssertThrowsError(try {
            let cut = try VipsImage(contentsOf: path("cut.png"), options: ["fail_on": .enumeration("truncated")])
            _ = try cut.pixels(as: UInt8.self)
        }())
    }

    func testUnknownExtensionThrowsAndWritesNothing() throws {
        let image = try VipsImage.from(buffer: [UInt8](repeating: 1, count: 16), width: 4, height: 4, bands: 1)
        XCTAssertThrowsError(try image.write(to: path("a.unknownformat")))
        XCTAssertEqual(try folderContents(), [])
    }

    func testOutOfRangeOptionThrowsAndWritesNothing() throws {
        let image = try VipsImage.from(buffer: [UInt8](repeating: 9, count: 16 * 16 * 3), width: 16, height: 16,
                                       bands: 3)
        XCTAssertThrowsError(try image.write(to: path("bad.jpg"), options: ["Q": .int(1000)])) { error in
            XCTAssertTrue("\(error)".contains("out of range"), "\(error)")
        }
        XCTAssertThrowsError(try image.write(to: path("bad.tif"), options: ["no_such_option": .int(1)]))
        XCTAssertThrowsError(try image.write(to: path("bad.tif"), options: ["compression": .enumeration("zzz")]))
        XCTAssertEqual(try folderContents(), [])
    }

    func testSaveFailingMidwayLeavesNoFileAndNoTemporary() throws {
        // The source's pixels fail to decode while tiffsave is already writing its temporary file.
        let image = try VipsImage.from(buffer: testBytes(count: 64 * 64 * 3, seed: 5), width: 64, height: 64,
                                       bands: 3)
        try image.write(to: path("full.png"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path("full.png")))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path("cut.png")))
        let cut = try VipsImage(contentsOf: path("cut.png"), options: ["fail_on": .enumeration("truncated")])
        XCTAssertThrowsError(try cut.write(to: path("out.tif")))
        XCTAssertEqual(try folderContents(), ["cut.png", "full.png"])
    }

    func testWriteReplacesExistingFileAtomically() throws {
        let first = try VipsImage.from(buffer: [UInt8](repeating: 10, count: 8 * 8), width: 8, height: 8, bands: 1)
        let second = try VipsImage.from(buffer: [UInt8](repeating: 200, count: 8 * 8), width: 8, height: 8, bands: 1)
        try first.write(to: path("x.png"))
        XCTAssertEqual(try VipsImage(contentsOf: path("x.png")).pixels(as: UInt8.self).first, 10)
        try second.write(to: path("x.png"))
        XCTAssertEqual(try VipsImage(contentsOf: path("x.png")).pixels(as: UInt8.self).first, 200,
                       "a rewritten file must be read again, not served from the loader cache")
        XCTAssertEqual(try folderContents(), ["x.png"])
    }
}
