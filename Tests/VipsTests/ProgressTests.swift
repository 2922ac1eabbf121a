// Progress reports during writes, and cancellation from the progress callback (no file left behind).
import Foundation
import Vips
import XCTest

final class ProgressTests: VipsTestCase {
    func testProgressReportsGrowToTheWholeImage() throws {
        let values = testBytes(count: 256 * 256, seed: 1).map(Float.init)
        let image = try VipsImage.from(buffer: values, width: 256, height: 256, bands: 1)
        let mean = try VipsImage.generate(from: image, outputBands: 1, halo: 1, body: boxMeanBody)
        let reports = RequestLog()
        try mean.write(to: path("p.tif"), options: ["tile": .bool(true), "tile_width": .int(64),
                                                    "tile_height": .int(64)]) { state in
            reports.add([state.percent, state.pixelsDone, state.pixelsTotal])
            return true
        }
        let all = reports.all
        XCTAssertFalse(all.isEmpty)
        XCTAssertTrue(all.allSatisfy { $0[2] == 256 * 256 }, "\(all)")
        XCTAssertEqual(all.map { $0[1] }, all.map { $0[1] }.sorted(), "pixel counts only grow")
        XCTAssertEqual(all.last?[1], 256 * 256)
        XCTAssertEqual(try VipsImage(contentsOf: path("p.tif")).pixels(as: Float.self),
                       boxMeanReference(values, width: 256, height: 256))
    }

    func testReturningFalseCancelsTheWriteAndLeavesNoFile() throws {
        let image = try VipsImage.from(buffer: [Float](repeating: 1, count: 512 * 512), width: 512, height: 512,
                                       bands: 1)
        let tiles = RequestLog()
        let slow = try VipsImage.generate(from: image, outputBands: 1, tileSize: (32, 32)) {
            (request: TileRequest<Float>) -> [Float] in
            tiles.add([request.x, request.y])
            usleep(1000)
            return request.input
        }
        XCTAssertThrowsError(try slow.write(to: path("c.tif"), options: ["tile": .bool(true)]) { _ in false }) {
            error in
            XCTAssertTrue(error is VipsError, "\(error)")
        }
        XCTAssertLessThan(tiles.all.count, 16 * 16, "the computation must stop early")
        XCTAssertEqual(try folderContents(), [])
        // The image itself is not spoiled: a later write succeeds.
        try slow.write(to: path("c.tif"))
        XCTAssertEqual(try folderContents(), ["c.tif"])
    }
}
