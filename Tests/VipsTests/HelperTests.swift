// Helpers added for the graph's nodes: matrix images, materializing in memory, and progress of any evaluation.
import Foundation
import Vips
import XCTest

final class HelperTests: VipsTestCase {
    func testMatrixImageFeedsRecomb() throws {
        let weights = try VipsImage.matrix([[0.25, 0.5, 0.25]])
        XCTAssertEqual([weights.width, weights.height, weights.bands], [3, 1, 1])
        XCTAssertEqual(weights.format, .double)
        XCTAssertEqual(try weights.pixels(as: Double.self), [0.25, 0.5, 0.25])
        let pixels = testBytes(count: 6 * 4 * 3, seed: 2)
        let rgb = try VipsImage.from(buffer: pixels, width: 6, height: 4, bands: 3)
        let gray = try rgb.call("recomb", ["m": .image(weights)]).pixels(as: Float.self)
        let expected = (0..<24).map { (index: Int) -> Float in
            let red = Float(pixels[3 * index]) * 0.25, green = Float(pixels[3 * index + 1]) * 0.5
            return red + green + Float(pixels[3 * index + 2]) * 0.25
        }
        XCTAssertEqual(gray.count, expected.count)
        XCTAssertLessThan(zip(gray, expected).map { abs($0 - $1) }.max() ?? 1, 1e-4)
        XCTAssertThrowsError(try VipsImage.matrix([[1, 2], [3]]))
        XCTAssertThrowsError(try VipsImage.matrix([]))
    }

    func testCopyToMemoryComputesOnce() throws {
        let input = try VipsImage.from(buffer: testBytes(count: 64 * 64, seed: 9), width: 64, height: 64, bands: 1)
        let calls = RequestLog()
        let counted = try VipsImage.generate(from: input, outputBands: 1) { (request: TileRequest<UInt8>) in
            calls.add([request.x, request.y])
            return request.input
        }
        let memory = try counted.copyToMemory()
        let afterCopy = calls.all.count
        XCTAssertGreaterThan(afterCopy, 0)
        XCTAssertEqual(try memory.pixels(as: UInt8.self), try input.pixels(as: UInt8.self))
        _ = try memory.region(x: 3, y: 3, width: 10, height: 10, as: UInt8.self)
        XCTAssertEqual(calls.all.count, afterCopy, "reads of the memory copy must not recompute")
    }

    func testObservingProgressOfAStatisticsPass() throws {
        let input = try VipsImage.from(buffer: testBytes(count: 256 * 256, seed: 4), width: 256, height: 256,
                                       bands: 1)
        let slow = try VipsImage.generate(from: input, outputBands: 1) { (request: TileRequest<UInt8>) in
            request.input
        }
        let fractions = RequestLog()
        let histogram = try slow.observingProgress({
            fractions.add([Int(($0 * 1000).rounded())])
            return true
        }) {
            try slow.histogram()
        }
        XCTAssertEqual(histogram[0].reduce(0, +), 256 * 256)
        let seen = fractions.all.map { $0[0] }
        XCTAssertFalse(seen.isEmpty, "hist_find must report progress")
        XCTAssertTrue(seen.allSatisfy { (0...1000).contains($0) }, "\(seen)")
    }

    func testObservingProgressCanStopTheComputation() throws {
        let input = try VipsImage.from(buffer: testBytes(count: 512 * 512, seed: 5), width: 512, height: 512, bands: 1)
        let slow = try VipsImage.generate(from: input, outputBands: 1) { (request: TileRequest<UInt8>) in
            request.input
        }
        XCTAssertThrowsError(try slow.observingProgress({ _ in false }) { try slow.histogram() })
        // The kill flag is cleared again: the same image evaluates normally afterwards.
        XCTAssertEqual(try slow.histogram()[0].reduce(0, +), 512 * 512)
    }
}
