import EnhancementPlugins
import StainImaging
import Foundation
import StainCore
import XCTest

final class HistogramMatcherTests: PipelineTestCase {
    /// `stain run` of the issue's minimal contract against the NumPy reference: ≤ 1 level on ≥ 99.9 % of pixels.
    func testMatchesNumPyReferenceInBothModes() throws {
        for pair in ["real", "random", "steps"] {
            for mode in ["inverse", "forward"] {
                let out = path("\(pair)-\(mode).png")
                try run("""
                    pipeline: match
                    params: {input: \(fixture("\(pair)-source.png"))}
                    nodes:
                      x:    {type: read, path: $input}
                      ref:  {type: read, path: \(fixture("\(pair)-reference.png"))}
                      z:    {type: histogram-matcher, mode: \(mode), source: x, reference: ref}
                      save: {type: write, source: z, path: \(out)}
                    """)
                let got = try pixels(out), want = try pixels(fixture("\(pair)-\(mode).png"))
                XCTAssertEqual(got.bands, 1)
                XCTAssertEqual(got.values.count, want.values.count)
                let close = zip(got.values, want.values).filter { abs(Int($0) - Int($1)) <= 1 }.count
                let exact = zip(got.values, want.values).filter { $0 == $1 }.count
                XCTAssertGreaterThanOrEqual(Double(close) / Double(want.values.count), 0.999, "\(pair) \(mode)")
                XCTAssertGreaterThanOrEqual(Double(exact) / Double(want.values.count), 0.99, "\(pair) \(mode)")
            }
        }
    }

    func testSavedHistogramReferenceGivesTheSameResult() throws {
        let json = path("ref.json")
        try run("""
            pipeline: h
            nodes:
              ref:  {type: read, path: \(fixture("random-reference.png"))}
              h:    {type: histogram, source: ref}
              save: {type: save-histogram, source: h, path: \(json)}
            """)
        let out = path("z.png")
        try run("""
            pipeline: match
            nodes:
              x:    {type: read, path: \(fixture("random-source.png"))}
              ref:  {type: load-histogram, path: \(json)}
              z:    {type: histogram-matcher, source: x, reference: ref}
              save: {type: write, source: z, path: \(out)}
            """)
        XCTAssertEqual(try pixels(out).values, try pixels(fixture("random-inverse.png")).values)
    }

    func testLookupTableExactCases() throws {
        // Source: half 0, half 255. Reference: uniform over 0...255.
        var src = [UInt64](repeating: 0, count: 256); src[0] = 2; src[255] = 2
        let uniform = try Histogram(counts: [UInt64](repeating: 1, count: 256))
        let s = try Histogram(counts: src)
        let inverse = HistogramMatching.lookupTable(source: s, reference: uniform, mode: .inverse)
        // c_src(0) = 0.5 → 1 − 0.5 = 0.5 → smallest u with (u+1)/256 ≥ 0.5 is 127; c_src(255) = 1 → t = 0 → u = 0.
        XCTAssertEqual(inverse[0], 127)
        XCTAssertEqual(inverse[255], 0)
        let forward = HistogramMatching.lookupTable(source: s, reference: uniform, mode: .forward)
        XCTAssertEqual(forward[0], 127)
        XCTAssertEqual(forward[255], 255)
        // Identity: forward matching of a histogram to itself maps every occupied level to itself.
        let same = HistogramMatching.lookupTable(source: uniform, reference: uniform, mode: .forward)
        XCTAssertEqual(same, (0...255).map(UInt8.init))
    }

    func testSourceStatisticsPortOverridesTheSourceHistogram() throws {
        let out = path("z.png")
        // Statistics from the reference itself: forward-matching the reference's own histogram is the identity.
        try run("""
            pipeline: match
            nodes:
              x:    {type: read, path: \(fixture("random-source.png"))}
              ref:  {type: read, path: \(fixture("random-source.png"))}
              z:    {type: histogram-matcher, mode: forward, source: x, reference: ref, source-statistics: ref}
              save: {type: write, source: z, path: \(out)}
            """)
        let gray = path("gray.png")
        try run("""
            pipeline: g
            nodes:
              x:    {type: read, path: \(fixture("random-source.png"))}
              g:    {type: grayscale, source: x}
              save: {type: write, source: g, path: \(gray)}
            """)
        XCTAssertEqual(try pixels(out).values, try pixels(gray).values)
    }
}
