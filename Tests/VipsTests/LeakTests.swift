// Leak checking: every wrapper releases its reference, and libvips' own table of live objects returns to where it
// started after many images, operations, saves, loads and generated images were made and dropped.
import Vips
import XCTest

final class LeakTests: VipsTestCase {
    func churn(_ round: Int) throws {
        let values = testBytes(count: 24 * 16 * 3, seed: UInt64(round + 1))
        let image = try VipsImage.from(buffer: values, width: 24, height: 16, bands: 3, interpretation: .srgb)
        let inverted = try image.call("invert")
        let joined = try Vips.operation("bandjoin", ["in": .images([inverted, image])]).image()
        _ = try Vips.operation("max", ["in": .image(joined)]).double()
        let generated = try VipsImage.generate(from: inverted, outputBands: 3, halo: 2,
                                               tileSize: round % 2 == 0 ? (8, 8) : nil) {
            (request: TileRequest<UInt8>) -> [UInt8] in
            var out: [UInt8] = []
            for y in 0..<request.height {
                let start: Int = ((y + 2) * request.inputWidth + 2) * 3
                out += request.input[start..<(start + request.width * 3)]
            }
            return out
        }
        XCTAssertEqual(try generated.pixels(as: UInt8.self), values.map { 255 - $0 })
        try generated.write(to: path("churn\(round).tif"), options: ["tile": .bool(true), "tile_width": .int(16),
                                                                    "tile_height": .int(16), "pyramid": .bool(true)])
        let blended = try VipsImage.generateBlended(from: image, inputAs: Float.self, outputBands: 3,
                                                    tileSize: (16, 16), overlap: 4, halo: 1) { request in
            (0..<request.height).flatMap { (y: Int) -> ArraySlice<Float> in
                let start = ((y + 1) * request.inputWidth + 1) * 3
                return request.input[start..<(start + request.width * 3)]
            }
        }
        XCTAssertEqual(try blended.cast(to: .uchar).pixels(as: UInt8.self), values)
        try generated.write(to: path("churn\(round).png")) { _ in true }
        XCTAssertThrowsError(try generated.write(to: path("cancelled\(round).png")) { _ in false })
        let loaded = try VipsImage(contentsOf: path("churn\(round).tif"))
        _ = try loaded.region(x: 1, y: 1, width: 5, height: 5, as: UInt8.self)
        _ = try? VipsImage(contentsOf: path("missing\(round).png"))
        _ = try? loaded.call("extract_area", ["left": .int(100), "top": .int(0), "width": .int(5), "height": .int(5)],
                             input: "input")
    }

    func testLeakCheckIsNeverTurnedOnUnderLiveObjects() throws {
        let wasOn = Vips.isLeakCheckEnabled
        XCTAssertTrue(Vips.setLeakCheck(false))
        XCTAssertFalse(Vips.isLeakCheckEnabled)
        do {
            let held = try VipsImage.from(buffer: [UInt8](repeating: 1, count: 16), width: 4, height: 4, bands: 1)
                .call("linear", ["a": .doubles([2]), "b": .doubles([1])])   // array arguments are tracked areas
            XCTAssertFalse(Vips.setLeakCheck(true), "objects are alive: turning tracking on would abort later")
            XCTAssertFalse(Vips.isLeakCheckEnabled)
            XCTAssertEqual(try held.pixels(as: Float.self).first, 3)
        }
        if wasOn {
            Vips.dropOperationCache()
            XCTAssertTrue(Vips.setLeakCheck(true), "nothing alive any more")
            XCTAssertTrue(Vips.isLeakCheckEnabled)
        }
    }

    func testObjectsAndWrappersReturnToBaseline() throws {
        try churn(-1)   // warm up one-time libvips objects (loaders' classes, interpolators, ...)
        Vips.dropOperationCache()
        let wrappers = VipsImage.liveWrapperCount
        let objects = Vips.liveObjectCount()

        let held = try VipsImage.from(buffer: [UInt8](repeating: 1, count: 4), width: 2, height: 2, bands: 1)
        XCTAssertEqual(VipsImage.liveWrapperCount, wrappers + 1)
        XCTAssertEqual(Vips.liveObjectCount().images, objects.images + 1, "the counter must see a held image")
        _ = held.width

        for round in 0..<30 { try churn(round) }
        XCTAssertGreaterThan(Vips.liveObjectCount().objects, objects.objects + 1, "the cache holds recent operations")
        Vips.dropOperationCache()
        withExtendedLifetime(held) {}
        XCTAssertEqual(VipsImage.liveWrapperCount, wrappers + 1)
        XCTAssertEqual(Vips.liveObjectCount().images, objects.images + 1)
        XCTAssertEqual(Vips.liveObjectCount().objects, objects.objects + 1)
    }
}
