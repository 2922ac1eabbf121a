// Overlapping-tile generation: exact blending against a whole-image Swift reference, one computation per tile,
// seams hidden, errors surfacing in the write.
import Foundation
import Vips
import XCTest

final class BlendTests: VipsTestCase {
    let width = 300, height = 200, tile = 64, overlap = 16

    func inputImage() throws -> (VipsImage, [Float]) {
        let values = testBytes(count: width * height, seed: 23).map(Float.init)
        return (try VipsImage.from(buffer: values, width: width, height: height, bands: 1), values)
    }

    /// Linear ramp weights, as documented: (distance from the tile edge + 0.5) / overlap inside the overlap.
    func ramp(_ index: Int) -> Double {
        let fromEdge = min(index, tile - 1 - index)
        return fromEdge < overlap ? (Double(fromEdge) + 0.5) / Double(overlap) : 1
    }

    func testSameValueFromEveryTileBlendsToThatValue() throws {
        let (input, values) = try inputImage()
        let calls = RequestLog()
        let blended = try VipsImage.generateBlended(from: input, outputBands: 1, tileSize: (tile, tile),
                                                    overlap: overlap, halo: 1) { (request: TileRequest<Float>) in
            calls.add([request.x, request.y, request.width, request.height])
            return boxMeanBody(request)
        }
        XCTAssertEqual(blended.format, .float)
        XCTAssertEqual([blended.width, blended.height, blended.bands], [width, height, 1])
        let got = try blended.pixels(as: Float.self)
        let expected = boxMeanReference(values, width: width, height: height)
        XCTAssertLessThan(zip(got, expected).map { abs($0 - $1) }.max() ?? 1, 1e-3)
        // 300x200 with 64-pixel tiles every 48 pixels: 6 x 4 tiles, each computed once, all full size.
        XCTAssertEqual(calls.all.count, 24)
        XCTAssertEqual(Set(calls.all.map { [$0[0], $0[1]] }).count, 24)
        XCTAssertEqual(Set(calls.all.map { [$0[2], $0[3]] }), [[tile, tile]])
        XCTAssertEqual(Set(calls.all.map { $0[0] }), Set(stride(from: 0, through: 240, by: 48)))
    }

    func testDifferentTilesBlendWithLinearRamps() throws {
        let (input, values) = try inputImage()
        let stride = tile - overlap
        // Each tile adds its own offset: the blend must weight the offsets exactly as documented.
        let blended = try VipsImage.generateBlended(from: input, outputBands: 2, tileSize: (tile, tile),
                                                    overlap: overlap, halo: 2) { (request: TileRequest<Float>) in
            let offset = Float(request.x / stride + 10 * (request.y / stride))
            var out = [Float](repeating: 0, count: request.outputCount)
            for y in 0..<request.height {
                for x in 0..<request.width {
                    out[(y * request.width + x) * 2] = request.input[(y + 2) * request.inputWidth + x + 2]
                    out[(y * request.width + x) * 2 + 1] = offset
                }
            }
            return out
        }
        let got = try blended.pixels(as: Float.self)
        var worst: Double = 0
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0, weight = 0.0
                for row in 0..<4 {
                    for column in 0..<6 {
                        let tx = x - column * stride, ty = y - row * stride
                        guard (0..<tile).contains(tx), (0..<tile).contains(ty) else { continue }
                        let w = ramp(tx) * ramp(ty)
                        sum += w * Double(column + 10 * row)
                        weight += w
                    }
                }
                let index = y * width + x
                worst = max(worst, abs(Double(got[2 * index]) - Double(values[index])))
                worst = max(worst, abs(Double(got[2 * index + 1]) - sum / weight))
            }
        }
        XCTAssertLessThan(worst, 1e-3)
    }

    func testOverlapHidesPerTileShifts() throws {
        let (input, _) = try inputImage()
        func maxJump(overlap: Int) throws -> Float {
            let stride = tile - overlap
            let image = try VipsImage.generateBlended(from: input, outputBands: 1, tileSize: (tile, tile),
                                                      overlap: overlap) { (request: TileRequest<Float>) in
                let shift = Float((request.x / stride + request.y / stride) % 2) * 10
                return [Float](repeating: shift, count: request.outputCount)
            }
            let values = try image.pixels(as: Float.self)
            var jump: Float = 0
            for y in 0..<height {
                for x in 1..<width { jump = max(jump, abs(values[y * width + x] - values[y * width + x - 1])) }
            }
            return jump
        }
        XCTAssertEqual(try maxJump(overlap: 0), 10)
        XCTAssertLessThan(try maxJump(overlap: 16), 1)
    }

    func testBodyErrorsAndBadParametersThrow() throws {
        let (input, _) = try inputImage()
        let failing = try VipsImage.generateBlended(from: input, outputBands: 1, tileSize: (tile, tile),
                                                    overlap: overlap) { (request: TileRequest<Float>) in
            if request.y > 100 { throw DeliberateFailure() }
            return [Float](repeating: 0, count: request.outputCount)
        }
        XCTAssertThrowsError(try failing.write(to: path("blend.tif"))) { error in
            XCTAssertTrue("\(error)".contains("deliberate failure"), "\(error)")
        }
        let short = try VipsImage.generateBlended(from: input, outputBands: 3, tileSize: (tile, tile),
                                                  overlap: overlap) { (_: TileRequest<Float>) in [1, 2, 3] }
        XCTAssertThrowsError(try short.pixels(as: Float.self))
        XCTAssertEqual(try folderContents(), [])
        let body: @Sendable (TileRequest<Float>) -> [Float] = { _ in [] }
        XCTAssertThrowsError(try VipsImage.generateBlended(from: input, outputBands: 1, tileSize: (16, 16),
                                                           overlap: 16, body: body))
        XCTAssertThrowsError(try VipsImage.generateBlended(from: input, outputBands: 0, tileSize: (16, 16),
                                                           overlap: 4, body: body))
        XCTAssertThrowsError(try VipsImage.generateBlended(from: input, outputBands: 1, tileSize: (0, 16),
                                                           overlap: 0, body: body))
    }

    func testImageSmallerThanOneTile() throws {
        let values: [Float] = (0..<(10 * 7)).map(Float.init)
        let input = try VipsImage.from(buffer: values, width: 10, height: 7, bands: 1)
        let calls = RequestLog()
        let blended = try VipsImage.generateBlended(from: input, outputBands: 1, tileSize: (32, 32), overlap: 8) {
            (request: TileRequest<Float>) in
            calls.add([request.x, request.y])
            return request.input
        }
        let got = try blended.pixels(as: Float.self)
        XCTAssertEqual(got.count, values.count)
        XCTAssertLessThan(zip(got, values).map { abs($0 - $1) }.max() ?? 1, 1e-4)
        XCTAssertEqual(calls.all, [[0, 0]])
    }
}
