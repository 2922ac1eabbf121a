import Foundation
import StainCore
import StainImaging
import SynthesisPlugins
import Vips
import XCTest

final class SynthesisNodeTests: PipelineTestCase {
    func testDarkfieldInvertsTheBrightfieldOrderingAndIsSeeded() throws {
        func synthesize(_ seed: Int, _ name: String) throws -> [UInt8] {
            try run("""
                pipeline: s
                nodes:
                  y:    {type: read, path: \(fixture("real-reference.png"))}
                  x:    {type: darkfield-synthesizer, source: y, seed: \(seed)}
                  save: {type: write, source: x, path: \(path(name))}
                """)
            return try pixels(path(name)).values
        }
        let a = try synthesize(3, "a.png"), b = try synthesize(3, "b.png"), c = try synthesize(4, "c.png")
        XCTAssertEqual(a, b, "same seed, same image")
        XCTAssertNotEqual(a, c, "noise depends on the seed")
        // Bright background of the stained image must become dark; dense stain bright.
        let source = try pixels(fixture("real-reference.png")).values
        var brightSum = 0.0, brightN = 0.0, darkSum = 0.0, darkN = 0.0
        for p in stride(from: 0, to: source.count, by: 3) {
            let l = 0.299 * Double(source[p]) + 0.587 * Double(source[p + 1]) + 0.114 * Double(source[p + 2])
            if l > 220 { brightSum += Double(a[p]); brightN += 1 }
            if l < 120 { darkSum += Double(a[p]); darkN += 1 }
        }
        XCTAssertGreaterThan(brightN, 100)
        XCTAssertGreaterThan(darkN, 100)
        XCTAssertLessThan(brightSum / brightN, 30, "background is dark in dark-field")
        XCTAssertGreaterThan(darkSum / darkN, 45, "stained tissue scatters light")
    }

    func testDarkfieldModelHistogramIsBimodal() throws {
        let cdf = try DarkfieldModel.histogram().cdf
        XCTAssertEqual(cdf[20], DarkfieldModel.backgroundWeight, accuracy: 0.01)
        XCTAssertGreaterThan(cdf[200], 0.99)
    }

    func testMisalignWithoutDisplacementIsTheIdentity() throws {
        let out = path("same.png"), field = path("field.tif")
        try run("""
            pipeline: m
            nodes:
              y:    {type: read, path: \(fixture("random-source.png"))}
              w:    {type: misalign, source: y, rotation: 0, translation: 0, scale: 0, elastic-sigma: 0, field-path: \(field)}
              save: {type: write, source: w.out, path: \(out)}
            """)
        XCTAssertEqual(try pixels(out).values, try pixels(fixture("random-source.png")).values)
        let d = try VipsImage(contentsOf: field)
        XCTAssertEqual(d.bands, 2)
        XCTAssertEqual(d.format, .float)
        XCTAssertEqual(try d.pixels(as: Float.self).map(abs).max()!, 0, accuracy: 1e-5)
    }

    func testMisalignFieldDescribesTheWarp() throws {
        // A smooth, strictly increasing ramp, so bilinear sampling at p + d(p) is predictable.
        let width = 64, height = 48
        var values = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { values[y * width + x] = UInt8(x * 2 + y) } }
        let ramp = try save(values, width: width, height: height, bands: 1, as: "ramp.png")
        let out = path("warped.tif"), field = path("field.tif")
        try run("""
            pipeline: m
            nodes:
              y:    {type: read, path: \(ramp)}
              w:    {type: misalign, source: y, seed: 5, rotation: 1, translation: 3, scale: 0.02, elastic-sigma: 1, field-path: \(field)}
              save: {type: write, source: w.out, path: \(out), compression: deflate}
            """)
        let warped = try pixels(out).values
        let d = try VipsImage(contentsOf: field).pixels(as: Float.self)
        XCTAssertGreaterThan(d.map(abs).max()!, 0.5, "the field moves pixels")
        var checked = 0
        for y in 4..<(height - 4) {
            for x in 4..<(width - 4) {
                let dy = Double(d[(y * width + x) * 2]), dx = Double(d[(y * width + x) * 2 + 1])
                let sx = Double(x) + dx, sy = Double(y) + dy
                guard sx >= 0, sy >= 0, sx <= Double(width - 1), sy <= Double(height - 1) else { continue }
                XCTAssertEqual(Double(warped[y * width + x]), sx * 2 + sy, accuracy: 1.0, "at \(x),\(y)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }
}
