import Foundation
import NeuralKernels
import Vips
import XCTest

/// `registration-warp` with a given field: the documented convention (band 0 = dy, band 1 = dx, out(p) =
/// moving(p + d(p)), bilinear) and the round trip misalign → warp by the true inverse field.
final class RegistrationWarpTests: PipelineTestCase {
    func ramp(width: Int, height: Int) -> [UInt8] {
        var values = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { values[y * width + x] = UInt8(x * 2 + y) } }
        return values
    }

    func saveField(_ values: [Float], width: Int, height: Int, as name: String) throws -> String {
        let target = path(name)
        try VipsImage.from(buffer: values, width: width, height: height, bands: 2).write(to: target)
        return target
    }

    func testConstantSubpixelShiftFollowsTheConvention() throws {
        let width = 64, height = 48
        let image = try save(ramp(width: width, height: height), width: width, height: height, bands: 1, as: "ramp.png")
        // dy = +0.25, dx = −0.5 everywhere: out(x, y) = ramp(x − 0.5, y + 0.25) = 2x − 1 + y + 0.25.
        let field = try saveField(Array(repeating: [0.25, -0.5], count: width * height).flatMap { $0 }, width: width,
                                  height: height, as: "field.tif")
        let out = path("out.png")
        try run("""
            pipeline: w
            nodes:
              moving: {type: read, path: \(image)}
              field:  {type: read, path: \(field), keep-format: true}
              warp:   {type: registration-warp, moving: moving, field: field}
              save:   {type: write, source: warp.out, path: \(out)}
            """)
        let warped = try pixels(out).values
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                XCTAssertEqual(Double(warped[y * width + x]), (2 * Double(x) - 1 + Double(y) + 0.25).rounded(.toNearestOrEven),
                               accuracy: 0.51, "at \(x),\(y)")
            }
        }
    }

    /// misalign gives out(p) = y(p + d(p)); warping that by e with e(q) = −d(q + e(q)) (the inverse, by fixed-point
    /// iteration) restores y away from the borders.
    func testTheTrueInverseFieldRestoresAMisalignedImage() throws {
        // A real H&E tile (smooth enough for two bilinear resamplings to keep its content).
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/tiles/brightfield/tile2.png").path
        let misaligned = path("misaligned.png"), field = path("d.tif")
        try run("""
            pipeline: m
            nodes:
              y:    {type: read, path: \(source)}
              w:    {type: misalign, source: y, seed: 4, rotation: 1, translation: 3, scale: 0.02, elastic-sigma: 1, field-path: \(field)}
              save: {type: write, source: w.out, path: \(misaligned)}
            """)
        let d = try VipsImage(contentsOf: field)
        let (width, height) = (d.width, d.height)
        let forward = try d.pixels(as: Float.self)
        func sample(_ f: [Float], _ x: Double, _ y: Double, _ band: Int) -> Double {
            let cx = min(max(x, 0), Double(width - 1)), cy = min(max(y, 0), Double(height - 1))
            let x0 = Int(cx), y0 = Int(cy), x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
            let fx = cx - Double(x0), fy = cy - Double(y0)
            func v(_ xx: Int, _ yy: Int) -> Double { Double(f[(yy * width + xx) * 2 + band]) }
            return (v(x0, y0) * (1 - fx) + v(x1, y0) * fx) * (1 - fy) + (v(x0, y1) * (1 - fx) + v(x1, y1) * fx) * fy
        }
        var inverse = [Float](repeating: 0, count: width * height * 2)
        for _ in 0..<20 {
            var next = inverse
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 2
                    let px = Double(x) + Double(inverse[i + 1]), py = Double(y) + Double(inverse[i])
                    next[i] = Float(-sample(forward, px, py, 0))
                    next[i + 1] = Float(-sample(forward, px, py, 1))
                }
            }
            inverse = next
        }
        let inverseField = try saveField(inverse, width: width, height: height, as: "e.tif")
        let restored = path("restored.png")
        try run("""
            pipeline: r
            nodes:
              moving: {type: read, path: \(misaligned)}
              field:  {type: read, path: \(inverseField), keep-format: true}
              warp:   {type: registration-warp, moving: moving, field: field}
              save:   {type: write, source: warp.out, path: \(restored)}
            """)
        let original = try pixels(source), back = try pixels(restored)
        let margin = 8
        var before = 0.0, after = 0.0, n = 0.0
        let moved = try pixels(misaligned).values
        for y in margin..<(height - margin) {
            for x in margin..<(width - margin) {
                for c in 0..<original.bands {
                    let i = (y * width + x) * original.bands + c
                    after += abs(Double(back.values[i]) - Double(original.values[i]))
                    before += abs(Double(moved[i]) - Double(original.values[i]))
                    n += 1
                }
            }
        }
        print(String(format: "misalign → inverse warp: mean |error| %.2f levels (misaligned: %.2f)", after / n, before / n))
        XCTAssertLessThan(after / n, 0.35 * before / n, "the inverse warp must undo most of the misalignment")
    }

    func testMissingFieldAndWeightsIsAClearError() throws {
        let image = try save(ramp(width: 16, height: 16), width: 16, height: 16, bands: 1, as: "r.png")
        XCTAssertThrowsError(try run("""
            pipeline: w
            nodes:
              moving: {type: read, path: \(image)}
              warp:   {type: registration-warp, moving: moving}
              save:   {type: write, source: warp.out, path: \(path("o.png"))}
            """)) { error in
            XCTAssertTrue("\(error)".contains("connect a 'field' input or set 'weights'"), "\(error)")
        }
    }
}

/// `registration-warp` with R weights against PyTorch's R + Transformer_2D
/// (scripts/fixtures/make_registration_node_fixtures.py).
final class RegistrationWarpWithNetworkTests: PipelineTestCase {
    func testNetworkFieldAndWarpMatchPyTorch() throws {
        let expected = try StateDict.load(fixture("registration-expected.safetensors"))
        let out = path("out.png"), field = path("field.tif")
        try run("""
            pipeline: r
            nodes:
              moving: {type: read, path: \(fixture("registration-moving.png"))}
              fixed:  {type: read, path: \(fixture("registration-fixed.png"))}
              warp:   {type: registration-warp, moving: moving, fixed: fixed, weights: \(fixture("registration-r.safetensors")),
                       registration-width: 8, registration-depth: 3}
              save:   {type: write, source: warp.out, path: \(out)}
              flow:   {type: write, source: warp.field, path: \(field), keep-format: true, compression: deflate}
            """)
        // The field, before any rounding: within 1e-4 of PyTorch.
        let flow = try expected.tensor("flow")
        let (h, w) = (flow.shape[2], flow.shape[3])
        let written = try VipsImage(contentsOf: field).pixels(as: Float.self)
        var worst: Float = 0
        for c in 0..<2 { for i in 0..<(h * w) { worst = max(worst, abs(written[i * 2 + c] - flow.scalars[c * h * w + i])) } }
        XCTAssertLessThan(worst, 1e-4, "R's field vs PyTorch")
        XCTAssertGreaterThan(flow.scalars.map(abs).max()!, 0.5, "the fixture's field moves pixels")
        // The warped image: PyTorch's value rounded, within one level where it sits on a .5 boundary.
        let reference = try expected.tensor("out").scalars
        let got = try pixels(out).values
        var exact = 0
        for c in 0..<3 {
            for i in 0..<(h * w) {
                let r = reference[c * h * w + i], v = Float(got[i * 3 + c])
                XCTAssertLessThanOrEqual(abs(v - r), 0.5 + 1e-3, "pixel \(i) band \(c)")
                if v == r.rounded(.toNearestOrEven) { exact += 1 }
            }
        }
        XCTAssertGreaterThan(Double(exact) / Double(3 * h * w), 0.99)
    }
}
