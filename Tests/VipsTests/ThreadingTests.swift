// Threading: many Swift threads using the wrapper at once, generate bodies running on several libvips workers,
// and streaming from a sequential-access loader.
import Foundation
import Vips
import XCTest

final class ThreadingTests: VipsTestCase {
    func testConcurrentCallersFromSwiftThreads() throws {
        let failures = RequestLog()
        let folder = self.folder.path
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                let values = testBytes(count: 32 * 32, seed: UInt64(index + 1)).map(Float.init)
                let image = try VipsImage.from(buffer: values, width: 32, height: 32, bands: 1)
                let mean = try VipsImage.generate(from: image, outputBands: 1, halo: 1, body: boxMeanBody)
                let sum = try mean.call("linear", ["a": .double(9), "b": .double(0)])
                let got = try sum.pixels(as: Float.self)
                let expected = boxMeanReference(values, width: 32, height: 32).map { $0 * 9 }
                if zip(got, expected).contains(where: { abs($0 - $1) > 1e-3 }) { failures.add([index]) }
                try mean.write(to: "\(folder)/t\(index).tif")
            } catch {
                failures.add([index, -1])
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try folderContents().count, 8)
    }

    func testGenerateBodiesRunOnSeveralWorkersAtOnce() throws {
        let previous = Vips.concurrency
        Vips.setConcurrency(4)
        defer { Vips.setConcurrency(previous) }
        XCTAssertEqual(Vips.concurrency, 4)
        let values = testBytes(count: 256 * 256, seed: 77).map(Float.init)
        let image = try VipsImage.from(buffer: values, width: 256, height: 256, bands: 1)
        let threads = RequestLog()
        let mean = try VipsImage.generate(from: image, outputBands: 1, halo: 1, tileSize: (32, 32)) {
            (request: TileRequest<Float>) -> [Float] in
            threads.add([Int(bitPattern: pthread_self())])
            usleep(5000)   // long enough that one worker cannot take every strip before the others start
            return boxMeanBody(request)
        }
        try mean.write(to: path("mean.tif"), options: ["tile": .bool(true), "tile_width": .int(32),
                                                       "tile_height": .int(32)])
        XCTAssertEqual(try VipsImage(contentsOf: path("mean.tif")).pixels(as: Float.self),
                       boxMeanReference(values, width: 256, height: 256))
        XCTAssertGreaterThan(Set(threads.all).count, 1, "libvips should spread tiles over its workers")
    }

    func testStreamingFromSequentialLoader() throws {
        let pixels = testBytes(count: 64 * 48, seed: 5)
        try VipsImage.from(buffer: pixels, width: 64, height: 48, bands: 1).write(to: path("in.png"))
        let source = try VipsImage(contentsOf: path("in.png"), options: ["access": .enumeration("sequential")])
        let mean = try VipsImage.generate(from: source, inputAs: Float.self, outputBands: 1, halo: 1,
                                          body: boxMeanBody)
        try mean.write(to: path("out.tif"))
        XCTAssertEqual(try VipsImage(contentsOf: path("out.tif")).pixels(as: Float.self),
                       boxMeanReference(pixels.map(Float.init), width: 64, height: 48))
    }
}
