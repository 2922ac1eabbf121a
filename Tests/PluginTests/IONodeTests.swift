import Foundation
import StainCore
import Vips
import XCTest

final class IONodeTests: PipelineTestCase {
    func testPyramidalTiffRoundTripAndLevels() throws {
        let values = (0..<(300 * 200 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let source = try save(values, width: 300, height: 200, bands: 3, as: "in.png")
        let tiff = path("pyramid.tif")
        try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(source)}
              save: {type: write, source: x, path: \(tiff), pyramid: true, tile-size: 64, compression: deflate}
            """)
        let full = try VipsImage(contentsOf: tiff)
        XCTAssertEqual(full.width, 300)
        XCTAssertEqual(try full.pixels(as: UInt8.self), values, "deflate is lossless")
        XCTAssertGreaterThanOrEqual(full.intField("n-pages") ?? 1, 3, "a pyramid has several levels")
        let level1 = path("level1.png")
        try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(tiff), level: 1}
              save: {type: write, source: x, path: \(level1)}
            """)
        XCTAssertEqual(try pixels(level1).width, 150)
        // A level the pyramid does not have is a pipeline error at validation, naming the levels there are.
        let levels = full.intField("n-pages") ?? 1
        XCTAssertThrowsError(try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(tiff), level: 9}
              save: {type: write, source: x, path: \(path("never.png"))}
            """)) { error in
            guard let invalid = error as? PipelineInvalid else { return XCTFail("\(error)") }
            XCTAssertFalse(invalid.isUnreadableInput)
            XCTAssertTrue("\(invalid)".contains("key 'level': '\(tiff)' has \(levels) levels (0...\(levels - 1)); "
                                                + "level 9 does not exist"), "\(invalid)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("never.png")))
    }

    func testJpegAndAlphaFlattening() throws {
        let rgba: [UInt8] = [255, 0, 0, 0, 0, 0, 255, 255]
        let source = try save(rgba, width: 2, height: 1, bands: 4, as: "alpha.png")
        let out = path("flat.png")
        try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(source)}
              save: {type: write, source: x, path: \(out)}
            """)
        let flat = try pixels(out)
        XCTAssertEqual(flat.bands, 3)
        XCTAssertEqual(flat.values, [255, 255, 255, 0, 0, 255], "transparent → white background")
        let jpeg = path("x.jpg")
        try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(fixture("real-source.png"))}
              save: {type: write, source: x, path: \(jpeg), quality: 95}
            """)
        XCTAssertEqual(try VipsImage(contentsOf: jpeg).width, 192)
    }

    func testCorruptInputIsAnUnreadableInputErrorAndNothingIsWritten() throws {
        let bad = path("bad.png")
        try Data((0..<500).map { UInt8(truncatingIfNeeded: $0 * 31) }).write(to: URL(fileURLWithPath: bad))
        let out = path("out.png")
        XCTAssertThrowsError(try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(bad)}
              save: {type: write, source: x, path: \(out)}
            """)) { error in
            // Caught from the header, at validation: an unreadable-input diagnostic naming the file.
            guard let invalid = error as? PipelineInvalid else { return XCTFail("\(error)") }
            XCTAssertTrue(invalid.isUnreadableInput, "\(invalid)")
            XCTAssertTrue("\(invalid)".contains("key 'path': '\(bad)' is not an image"), "\(invalid)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["bad.png"])
    }

    func testUnknownOutputExtensionIsAValidationError() {
        XCTAssertThrowsError(try run("""
            pipeline: p
            nodes:
              x:    {type: read, path: \(fixture("real-source.png"))}
              save: {type: write, source: x, path: \(path("x.bmp"))}
            """)) { XCTAssertTrue("\($0)".contains("key 'path': unknown output format '.bmp'"), "\($0)") }
    }
}
