import Foundation
import StainCore
import Vips
import XCTest

/// `read` chooses a pyramid level by resolution (`mpp`) and reads a region given in full-resolution pixels.
final class ReadLevelTests: PipelineTestCase {
    /// A 400×200 pyramidal TIFF at 0.25 µm/px: levels 0.25, 0.5, 1 µm/px (400, 200, 100 wide).
    func pyramid() throws -> String {
        var rgb = [UInt8](repeating: 0, count: 400 * 200 * 3)
        for y in 0..<200 { for x in 0..<400 { rgb[(y * 400 + x) * 3] = UInt8(x % 256); rgb[(y * 400 + x) * 3 + 1] = UInt8(y) } }
        let target = path("pyramid.tif")
        try VipsImage.from(buffer: rgb, width: 400, height: 200, bands: 3).withResolution(x: 4000, y: 4000)
            .write(to: target, options: ["tile": .bool(true), "pyramid": .bool(true), "tile_width": .int(64),
                                         "tile_height": .int(64), "compression": .enumeration("deflate")])
        return target
    }

    func read(_ settings: String) throws -> (width: Int, height: Int, values: [UInt8]) {
        let input = try pyramid()
        try run("""
            pipeline: read
            nodes:
              r: {type: read, path: \(input)\(settings)}
              w: {type: write, source: r, path: \(path("out.png"))}
            """)
        let p = try pixels(path("out.png"))
        return (p.width, p.height, p.values)
    }

    func testMppChoosesTheCoarsestLevelAtLeastThatFine() throws {
        XCTAssertEqual(try read(", mpp: 0.6").width, 200, "0.5 µm/px is the coarsest level not coarser than 0.6")
        XCTAssertEqual(try read(", mpp: 1").width, 100)
        XCTAssertEqual(try VipsImage(contentsOf: path("out.png")).xres, 1000, accuracy: 1, "level 2 is 1 µm/px")
        XCTAssertEqual(try read(", mpp: 0.1").width, 400, "finer than level 0: level 0")
    }

    func testRegionIsGivenInLevel0Pixels() throws {
        let region = try read(", mpp: 0.5, region-left: 100, region-top: 40, region-width: 80, region-height: 60")
        XCTAssertEqual([region.width, region.height], [40, 30])
        // Level 1 pixel (50, 20) is the average of level-0 pixels around (100…101, 40…41): red ≈ 100, green ≈ 40.
        XCTAssertEqual(Double(region.values[0]), 100.5, accuracy: 1.5)
        XCTAssertEqual(Double(region.values[1]), 40.5, accuracy: 1.5)
    }

    func testARegionPastTheImageIsAValidationError() {
        XCTAssertThrowsError(try read(", region-left: 350, region-width: 100, region-height: 10")) {
            XCTAssertTrue("\($0)".contains("reaches past the image"), "\($0)")
        }
    }
}
