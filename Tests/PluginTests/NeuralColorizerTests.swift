import Foundation
import NeuralKernels
import StainCore
import StainModels
import Vips
import XCTest

/// The `colorizer` node: padding to multiples of 8, `module.` prefixes, tiles against the whole image.
final class NeuralColorizerTests: PipelineTestCase {
    func testColorizerMatchesTheReferenceAndTilesMatchTheWholeImage() throws {
        let colorizer = SIGGRAPHColorizer(seed: 3)
        let weights = path("teacher.safetensors")
        // Saved as from DataParallel: every key starts with `module.`.
        try StateDict(colorizer.stateDict().items.map { ("module." + $0.0, $0.1) }).save(weights)
        let width = 44, height = 36  // not multiples of 8: padded (reflect), then cropped
        var z = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { z[y * width + x] = UInt8(128 + 100 * sin(Double(x) * 0.2) * cos(Double(y) * 0.15)) }
        }
        let source = try save(z, width: width, height: height, bands: 1, as: "z.png")
        func colorize(_ settings: String, _ name: String) throws -> [UInt8] {
            try run("""
                pipeline: c
                nodes:
                  z:    {type: read, path: \(source)}
                  t:    {type: colorizer, source: z, weights: \(weights), \(settings)}
                  save: {type: write, source: t, path: \(path(name))}
                """)
            let out = try pixels(path(name))
            XCTAssertEqual([out.width, out.height, out.bands], [width, height, 3])
            return out.values
        }
        let whole = try colorize("tile-size: 48", "whole.png")
        let tiled = try colorize("tile-size: 16, norm: global", "tiled.png")
        XCTAssertLessThanOrEqual(zip(whole, tiled).map { abs(Int($0) - Int($1)) }.max()!, 1)

        // Reference: the StainModels teacher on the reflection-padded gray image (3 equal channels).
        let paddedWidth = 48, paddedHeight = 40, plane = paddedWidth * paddedHeight
        var gray = Tensor(uninitializedShape: [1, 1, height, width])
        gray.withUnsafeMutableBufferPointer { p in for i in 0..<(width * height) { p[i] = (Float(z[i]) - 127.5) / 127.5 } }
        let padded = try Kernels.reflectPad(gray, left: 0, right: paddedWidth - width, top: 0,
                                            bottom: paddedHeight - height)
        let rgb = try colorizer.forward(Kernels.concatChannels([padded, padded, padded])).scalars
        var maxDifference = 0
        for y in 0..<height {
            for x in 0..<width {
                for b in 0..<3 {
                    let v = rgb[b * plane + y * paddedWidth + x]
                    let expected = Int(max(0, min(255, (127.5 * v + 127.5).rounded())))
                    maxDifference = max(maxDifference, abs(expected - Int(whole[(y * width + x) * 3 + b])))
                }
            }
        }
        XCTAssertLessThanOrEqual(maxDifference, 1)
        XCTAssertGreaterThan(Set(whole).count, 10, "a real picture, not a constant")
    }
}
