import Foundation
import StainCore
import StainImaging
import XCTest

/// `tissue-mask`: Otsu's threshold, and a mask that finds a stained region on glass.
final class TissueMaskTests: PipelineTestCase {
    func testOtsuSplitsTwoModesBetweenThem() throws {
        var counts = [UInt64](repeating: 0, count: 256)
        for level in 0..<10 { counts[level] = 1000 }      // glass: levels 0…9
        for level in 60..<90 { counts[level] = 300 }      // tissue: levels 60…89
        let t = TissueDetection.otsu(try Histogram(counts: counts))
        XCTAssertTrue((9..<60).contains(t), "threshold \(t) separates the modes")
    }

    func testMaskFindsAStainedSquareOnWhiteGlass() throws {
        // 64×64 white glass (with slight gray noise) holding a pink 24×24 "tissue" square at (20, 16).
        let w = 64, h = 64
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let i = (y * w + x) * 3
                let tissue = (20..<44).contains(x) && (16..<40).contains(y)
                let jitter = UInt8((x * 7 + y * 13) % 5)
                (rgb[i], rgb[i + 1], rgb[i + 2]) = tissue ? (200 - jitter, 90, 160) : (245 - jitter, 244 - jitter, 246 - jitter)
            }
        }
        let input = try save(rgb, width: w, height: h, bands: 3, as: "slide.png")
        try run("""
            pipeline: mask
            nodes:
              slide: {type: read, path: \(input)}
              mask:  {type: tissue-mask, source: slide}
              save:  {type: write, source: mask, path: \(path("mask.png"))}
            """)
        let mask = try pixels(path("mask.png"))
        XCTAssertEqual([mask.width, mask.height, mask.bands], [64, 64, 1])
        var wrong = 0
        for y in 0..<h {
            for x in 0..<w {
                let tissue = (20..<44).contains(x) && (16..<40).contains(y)
                if (mask.values[y * w + x] == 255) != tissue { wrong += 1 }
            }
        }
        // Only the square's border may differ (blur and clean-up round the corners).
        XCTAssertLessThan(wrong, 40, "\(wrong) pixels misclassified")
    }
}
