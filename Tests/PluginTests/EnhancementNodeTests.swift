import Foundation
import StainCore
import Vips
import XCTest

final class EnhancementNodeTests: PipelineTestCase {
    func runSingle(_ node: String, source: String, out: String) throws -> (width: Int, height: Int, bands: Int, values: [UInt8]) {
        try run("""
            pipeline: one
            nodes:
              x:    {type: read, path: \(source)}
              n:    {\(node), source: x}
              save: {type: write, source: n, path: \(out)}
            """)
        return try pixels(out)
    }

    func testZScoreMatchesNumPyReference() throws {
        for pair in ["real", "random", "steps"] {
            let got = try runSingle("type: zscore-normalizer, invert: true", source: fixture("\(pair)-source.png"),
                                    out: path("z-\(pair).png"))
            let want = try pixels(fixture("\(pair)-zscore.png"))
            let off = zip(got.values, want.values).map { abs(Int($0) - Int($1)) }
            XCTAssertLessThanOrEqual(off.max()!, 1, pair)
            XCTAssertGreaterThan(Double(off.filter { $0 == 0 }.count) / Double(off.count), 0.99, pair)
        }
    }

    func testGrayscaleIsTheLumaAndIdentityPassesThrough() throws {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 150, 200]
        let source = try save(rgb, width: 4, height: 1, bands: 3, as: "rgb.png")
        let gray = try runSingle("type: grayscale", source: source, out: path("g.png"))
        // round(0.299·255) = 76, round(0.587·255) = 150, round(0.114·255) = 29, round(29.9+88.05+22.8) = 141
        XCTAssertEqual(gray.values, [76, 150, 29, 141])
        let three = try runSingle("type: grayscale, bands: 3", source: source, out: path("g3.png"))
        XCTAssertEqual(three.values, [76, 76, 76, 150, 150, 150, 29, 29, 29, 141, 141, 141])
        XCTAssertEqual(try runSingle("type: identity", source: source, out: path("i.png")).values, rgb)
    }

    func testLabConversionsMatchTheSpecFormulas() throws {
        let lab = path("lab.tif")
        try run("""
            pipeline: lab
            nodes:
              x:    {type: read, path: \(fixture("lab-source.png"))}
              l:    {type: to-lab, source: x}
              save: {type: write, source: l, path: \(lab), keep-format: true, compression: deflate}
            """)
        let got = try VipsImage(contentsOf: lab).pixels(as: Float.self)
        let want = try VipsImage(contentsOf: fixture("lab-expected.tif")).pixels(as: Float.self)
        XCTAssertEqual(got.count, want.count)
        let worst = zip(got, want).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, 2e-3)
        let back = path("back.png")
        try run("""
            pipeline: back
            nodes:
              x:    {type: read, path: \(fixture("lab-expected.tif")), keep-format: true}
              r:    {type: from-lab, source: x}
              save: {type: write, source: r, path: \(back)}
            """)
        let rgb = try pixels(back).values, expected = try pixels(fixture("lab-roundtrip.png")).values
        XCTAssertLessThanOrEqual(zip(rgb, expected).map { abs(Int($0) - Int($1)) }.max()!, 1)
        // And the round trip returns (within a level) to the original picture.
        let original = try pixels(fixture("lab-source.png")).values
        XCTAssertLessThanOrEqual(zip(rgb, original).map { abs(Int($0) - Int($1)) }.max()!, 1)
    }

    func testToLabRejectsGrayInputAtValidation() {
        XCTAssertThrowsError(try run("""
            pipeline: lab
            nodes:
              x:    {type: read, path: \(fixture("random-reference.png"))}
              l:    {type: to-lab, source: x}
              save: {type: write, source: l, path: \(path("x.tif"))}
            """)) { error in
            XCTAssertTrue("\(error)".contains("key 'source': port type mismatch: 'x.out' has 1 band, this port takes 3"), "\(error)")
        }
    }
}
