// The custom streaming operation: halo handling, exactness against whole-image references, fixed tile grids,
// and error propagation from the Swift body into the final write.
import Foundation
import Vips
import XCTest

/// libvips' mirror extension: symmetric reflection with period 2n (edge pixel repeated, then reversed).
func mirror(_ index: Int, _ count: Int) -> Int {
    let period = 2 * count
    let m = ((index % period) + period) % period
    return m < count ? m : period - 1 - m
}

/// 3×3 box mean of a 1-band image with mirrored borders, summed in the same order as the generate body.
func boxMeanReference(_ values: [Float], width: Int, height: Int) -> [Float] {
    var out = [Float](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width {
            var sum: Float = 0
            for dy in -1...1 {
                for dx in -1...1 { sum += values[mirror(y + dy, height) * width + mirror(x + dx, width)] }
            }
            out[y * width + x] = sum / 9
        }
    }
    return out
}

/// The generate body computing a 3×3 box mean from a halo-1 request.
@Sendable func boxMeanBody(_ request: TileRequest<Float>) -> [Float] {
    var out = [Float](repeating: 0, count: request.outputCount)
    let stride = request.inputWidth
    for y in 0..<request.height {
        for x in 0..<request.width {
            var sum: Float = 0
            for dy in 0...2 {
                for dx in 0...2 { sum += request.input[(y + dy) * stride + x + dx] }
            }
            out[y * request.width + x] = sum / 9
        }
    }
    return out
}

/// Thread-safe list of what the generate body was asked for.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var rects: [[Int]] = []
    func add(_ rect: [Int]) { lock.lock(); rects.append(rect); lock.unlock() }
    var all: [[Int]] { lock.lock(); defer { lock.unlock() }; return rects }
}

struct DeliberateFailure: Error, CustomStringConvertible {
    var description: String { "deliberate failure in the body" }
}

final class GenerateTests: VipsTestCase {
    let width = 300, height = 200

    func inputImage() throws -> (VipsImage, [Float]) {
        let values = testBytes(count: width * height, seed: 11).map(Float.init)
        return (try VipsImage.from(buffer: values, width: width, height: height, bands: 1), values)
    }

    func testBoxMeanWrittenTileByTileEqualsWholeImageReference() throws {
        let (input, values) = try inputImage()
        let log = RequestLog()
        let mean = try VipsImage.generate(from: input, outputBands: 1, halo: 1) { (request: TileRequest<Float>) in
            log.add([request.x, request.y, request.width, request.height])
            return boxMeanBody(request)
        }
        XCTAssertEqual([mean.width, mean.height, mean.bands], [width, height, 1])
        XCTAssertEqual(mean.format, .float)
        try mean.write(to: path("mean.tif"), options: ["tile": .bool(true), "tile_width": .int(64),
                                                       "tile_height": .int(64)])
        XCTAssertGreaterThan(log.all.count, 1, "the image must be computed in several requests")
        let written = try VipsImage(contentsOf: path("mean.tif")).pixels(as: Float.self)
        XCTAssertEqual(written, boxMeanReference(values, width: width, height: height))
    }

    func testBoxMeanInteriorMatchesVipsConvolution() throws {
        let (input, _) = try inputImage()
        let mean = try VipsImage.generate(from: input, outputBands: 1, halo: 1, body: boxMeanBody)
        let mask = try VipsImage.from(buffer: [Double](repeating: 1, count: 9), width: 3, height: 3, bands: 1)
        let sum = try Vips.operation("conv", ["in": .image(input), "mask": .image(mask),
                                              "precision": .enumeration("float")]).image()
        let ours = try mean.region(x: 1, y: 1, width: width - 2, height: height - 2, as: Float.self)
        let theirs = try sum.call("cast", ["format": BandFormat.float.value])
            .region(x: 1, y: 1, width: width - 2, height: height - 2, as: Float.self)
        XCTAssertEqual(ours.count, theirs.count)
        let worst = zip(ours, theirs).map { abs($0 - $1 / 9) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-3)
    }

    func testHaloLargerThanImageMirrorsRepeatedly() throws {
        let values: [Float] = (0..<12).map(Float.init)   // 4×3
        let input = try VipsImage.from(buffer: values, width: 4, height: 3, bands: 1)
        let halo = 5
        let echoed = try VipsImage.generate(from: input, outputBands: 1, halo: halo) { (request: TileRequest<Float>) in
            // Output = the input pixel `halo` to the left and above: exercises the mirrored context.
            (0..<request.height).flatMap { y in
                (0..<request.width).map { x in request.input[y * request.inputWidth + x] }
            }
        }
        let got = try echoed.pixels(as: Float.self)
        let expected = (0..<3).flatMap { y in
            (0..<4).map { x in values[mirror(y - halo, 3) * 4 + mirror(x - halo, 4)] }
        }
        XCTAssertEqual(got, expected)
    }

    func testUInt8MultibandGenerateMatchesInvert() throws {
        let pixels = testBytes(count: 40 * 30 * 3, seed: 21)
        let input = try VipsImage.from(buffer: pixels, width: 40, height: 30, bands: 3, interpretation: .srgb)
        let inverted = try VipsImage.generate(from: input, outputBands: 3) { (request: TileRequest<UInt8>) in
            request.input.map { 255 - $0 }
        }
        XCTAssertEqual(inverted.interpretation, .srgb)
        XCTAssertEqual(try inverted.pixels(as: UInt8.self), try input.call("invert").pixels(as: UInt8.self))
    }

    func testChangesBandCountAndCastsInput() throws {
        let pixels = testBytes(count: 20 * 10 * 3, seed: 4)
        let input = try VipsImage.from(buffer: pixels, width: 20, height: 10, bands: 3)
        // uchar input read as Float, 3 bands in, 1 band out: the band sum.
        let sum = try VipsImage.generate(from: input, inputAs: Float.self, outputBands: 1) {
            (request: TileRequest<Float>) -> [Float] in
            let values = request.input
            return (0..<(request.width * request.height)).map { (index: Int) -> Float in
                let red = values[3 * index], green = values[3 * index + 1], blue = values[3 * index + 2]
                return red + green + blue
            }
        }
        XCTAssertEqual(sum.bands, 1)
        let expected = (0..<200).map { (index: Int) -> Float in
            let red = Float(pixels[3 * index]), green = Float(pixels[3 * index + 1])
            return red + green + Float(pixels[3 * index + 2])
        }
        XCTAssertEqual(try sum.pixels(as: Float.self), expected)
    }

    func testFloatInputReadAsBytesIsRounded() throws {
        let input = try VipsImage.from(buffer: [Float(1.6), 2.4, 254.9, 300], width: 2, height: 2, bands: 1)
        let echoed = try VipsImage.generate(from: input, inputAs: UInt8.self, outputBands: 1) {
            (request: TileRequest<UInt8>) in request.input
        }
        XCTAssertEqual(try echoed.pixels(as: UInt8.self), [2, 2, 255, 255])
    }

    func testFixedTileGridRequestsAreAlignedAndCoverTheImage() throws {
        let (input, values) = try inputImage()
        let log = RequestLog()
        let tile = (width: 48, height: 40)
        let mean = try VipsImage.generate(from: input, outputBands: 1, halo: 1, tileSize: tile) {
            (request: TileRequest<Float>) in
            log.add([request.x, request.y, request.width, request.height])
            return boxMeanBody(request)
        }
        XCTAssertEqual(try mean.pixels(as: Float.self), boxMeanReference(values, width: width, height: height))
        var covered = Set<[Int]>()
        for rect in log.all {
            XCTAssertEqual(rect[0] % tile.width, 0, "\(rect)")
            XCTAssertEqual(rect[1] % tile.height, 0, "\(rect)")
            XCTAssertEqual(rect[2], min(tile.width, width - rect[0]), "\(rect)")
            XCTAssertEqual(rect[3], min(tile.height, height - rect[1]), "\(rect)")
            covered.insert([rect[0], rect[1]])
        }
        XCTAssertEqual(covered.count, 7 * 5, "300x200 in 48x40 tiles")
    }

    func testFullTilesHaveOneShapeAndStillMatchTheReference() throws {
        let (input, values) = try inputImage()
        let log = RequestLog()
        let mean = try VipsImage.generate(from: input, outputBands: 1, halo: 1, tileSize: (64, 64), fullTiles: true) {
            (request: TileRequest<Float>) in
            log.add([request.x, request.y, request.width, request.height, request.imageWidth, request.imageHeight])
            return boxMeanBody(request)
        }
        try mean.write(to: path("full.tif"))
        XCTAssertEqual(try VipsImage(contentsOf: path("full.tif")).pixels(as: Float.self),
                       boxMeanReference(values, width: width, height: height))
        XCTAssertEqual(Set(log.all.map { Array($0[2...]) }), [[64, 64, width, height]])
        XCTAssertEqual(Set(log.all.map { [$0[0], $0[1]] }).count, 5 * 4, "300x200 in 64x64 tiles")
        XCTAssertThrowsError(try VipsImage.generate(from: input, outputBands: 1, fullTiles: true, body: boxMeanBody))
    }

    func testBodyErrorMakesWriteThrowAndLeavesNoFile() throws {
        let (input, _) = try inputImage()
        let folder = self.folder.path
        let seenWhileWriting = RequestLog()
        let failing = try VipsImage.generate(from: input, outputBands: 1, halo: 1) { (request: TileRequest<Float>) in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            seenWhileWriting.add([names.filter { $0.hasPrefix(".fail.tmp-") }.count])
            if request.y + request.height > 150 { throw DeliberateFailure() }
            return boxMeanBody(request)
        }
        for name in ["fail.tif", "fail.png"] {
            XCTAssertThrowsError(try failing.write(to: path(name), options: [:])) { error in
                XCTAssertTrue(error is VipsError)
                XCTAssertTrue("\(error)".contains("deliberate failure in the body"), "\(error)")
            }
        }
        XCTAssertThrowsError(try failing.pixels(as: Float.self))
        XCTAssertTrue(seenWhileWriting.all.contains([1]), "the saver was writing its temporary file")
        XCTAssertEqual(try folderContents(), [])
    }

    func testWrongValueCountFromBodyThrows() throws {
        let (input, _) = try inputImage()
        let short = try VipsImage.generate(from: input, outputBands: 2) { (request: TileRequest<Float>) in
            [Float](repeating: 0, count: request.width * request.height)
        }
        XCTAssertThrowsError(try short.write(to: path("short.tif"))) { error in
            XCTAssertTrue("\(error)".contains("expected"), "\(error)")
        }
        XCTAssertEqual(try folderContents(), [])
    }

    func testInvalidParametersThrow() throws {
        let (input, _) = try inputImage()
        let body: @Sendable (TileRequest<Float>) -> [Float] = { _ in [] }
        XCTAssertThrowsError(try VipsImage.generate(from: input, outputBands: 0, body: body))
        XCTAssertThrowsError(try VipsImage.generate(from: input, outputBands: 1, halo: -1, body: body))
        XCTAssertThrowsError(try VipsImage.generate(from: input, outputBands: 1, tileSize: (0, 8), body: body))
    }
}

/// Statistics passes with `visitTiles`.
final class VisitTilesTests: VipsTestCase {
    func testEveryTileVisitedOnceWithItsInput() throws {
        let width = 300, height = 200
        let values = testBytes(count: width * height, seed: 12)
        let image = try VipsImage.from(buffer: values, width: width, height: height, bands: 1)
        let log = RequestLog()
        try image.visitTiles(inputAs: UInt8.self, tileSize: (64, 64), halo: 2, fullTiles: true) { request in
            // Sum of the tile's own pixels that lie inside the image.
            var sum = 0
            for y in 0..<min(request.height, request.imageHeight - request.y) {
                for x in 0..<min(request.width, request.imageWidth - request.x) {
                    sum += Int(request.input[(y + 2) * request.inputWidth + x + 2])
                }
            }
            log.add([request.x, request.y, request.width, request.height, sum])
        }
        let tiles = log.all
        XCTAssertEqual(tiles.count, 5 * 4)
        XCTAssertEqual(Set(tiles.map { [$0[0], $0[1]] }).count, 20, "each tile once")
        XCTAssertEqual(Set(tiles.map { [$0[2], $0[3]] }), [[64, 64]])
        XCTAssertEqual(tiles.map { $0[4] }.reduce(0, +), values.map(Int.init).reduce(0, +))
    }

    func testBodyErrorStopsThePass() throws {
        let image = try VipsImage.from(buffer: [UInt8](repeating: 0, count: 100 * 100), width: 100, height: 100,
                                       bands: 1)
        XCTAssertThrowsError(try image.visitTiles(inputAs: Float.self, tileSize: (32, 32)) { request in
            if request.x == 64 { throw DeliberateFailure() }
        }) { error in
            XCTAssertTrue("\(error)".contains("deliberate failure"), "\(error)")
        }
    }
}
