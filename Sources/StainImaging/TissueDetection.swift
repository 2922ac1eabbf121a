import StainCore
import Vips

/// Finding tissue on a slide, so whole-slide runs skip bare glass: a per-pixel tissue signal on a small copy of the
/// image, a threshold (Otsu's by default), and morphological clean-up. Used by the `tissue-mask` node.
public struct TissueDetection: Sendable {
    /// What makes a pixel tissue.
    public enum Signal: String, Sendable, CaseIterable {
        /// Colour saturation max(R,G,B) − min(R,G,B): stained tissue is coloured, glass is gray or white
        /// (bright-field H&E, and stained outputs).
        case saturation
        /// 255 − luma: tissue is darker than the bright glass (bright-field, unstained or gray).
        case darkness
        /// Luma: tissue scatters light and glows, glass stays black (dark-field).
        case brightness
    }

    public var signal: Signal
    /// Signal level above which a pixel is tissue; nil: Otsu's threshold of the signal's histogram.
    public var threshold: Int?
    /// Longest side of the copy the mask is computed on (the mask has this resolution).
    public var size: Int
    /// Radius in mask pixels of the closing (fills holes) and then opening (removes specks) applied to the mask.
    public var cleanup: Int

    public init(signal: Signal = .saturation, threshold: Int? = nil, size: Int = 1024, cleanup: Int = 2) {
        self.signal = signal
        self.threshold = threshold
        self.size = size
        self.cleanup = cleanup
    }

    /// The mask: 1 band, 255 on tissue and 0 on glass, `size` pixels on its longest side (or the image's own size
    /// when smaller), with the threshold that was used.
    public func mask(of image: VipsImage, _ context: RunContext) throws -> (mask: VipsImage, threshold: Int) {
        let scale = min(1, Double(size) / Double(max(image.width, image.height)))
        let small = try (scale < 1 ? image.resize(scale: scale) : image).copyToMemory()
        // A light blur first, so the threshold follows tissue regions rather than single dark or pale pixels.
        let level = try self.signal(of: small).call("gaussblur", ["sigma": .double(1)]).cast(to: .uchar).copyToMemory()
        let histogram = try Histogram(counts: level.call("hist_find").pixels(as: UInt32.self).map(UInt64.init))
        let cut = threshold ?? Self.otsu(histogram)
        var mask = try level.call("relational_const", ["relational": .enumeration("more"), "c": .doubles([Double(cut)])])
        if cleanup > 0 {
            let disc = try Self.disc(radius: cleanup)
            // Closing then opening: dilate, erode, erode, dilate.
            for operation in ["dilate", "erode", "erode", "dilate"] {
                mask = try mask.call("morph", ["mask": .image(disc), "morph": .enumeration(operation)])
            }
        }
        return (try mask.cast(to: .uchar).withInterpretation(.bw).copyToMemory(), cut)
    }

    /// The per-pixel tissue signal as 8-bit gray.
    func signal(of image: VipsImage) throws -> VipsImage {
        let rgb = image.bands >= 3 ? try image.call("extract_band", ["band": .int(0), "n": .int(3)]) : image
        switch signal {
        case .saturation:
            // A gray image has no colour: saturation 0 everywhere.
            guard rgb.bands == 3 else { return try Luma.of(image).call("linear", ["a": .doubles([0]), "b": .doubles([0])]).cast(to: .uchar) }
            let channels = try (0..<3).map { try rgb.call("extract_band", ["band": .int($0)]) }
            let high = try Vips.operation("bandrank", ["in": .images(channels), "index": .int(2)]).image()
            let low = try Vips.operation("bandrank", ["in": .images(channels), "index": .int(0)]).image()
            return try Vips.operation("subtract", ["left": .image(high), "right": .image(low)]).image().cast(to: .uchar)
        case .darkness:
            return try Luma.of(image).call("invert")
        case .brightness:
            return try Luma.of(image)
        }
    }

    /// Otsu's threshold: the level t that maximizes the between-class variance of {≤ t} and {> t}.
    public static func otsu(_ histogram: Histogram) -> Int {
        let counts = histogram.counts.map { Double($0) }
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        var sum = 0.0
        for (level, count) in counts.enumerated() { sum += Double(level) * count }
        var weightBelow = 0.0, sumBelow = 0.0, best = 0.0, bestLevel = 0
        for level in 0..<255 {
            weightBelow += counts[level]
            sumBelow += Double(level) * counts[level]
            let weightAbove = total - weightBelow
            guard weightBelow > 0, weightAbove > 0 else { continue }
            let meanBelow = sumBelow / weightBelow, meanAbove = (sum - sumBelow) / weightAbove
            let between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best {
                best = between
                bestLevel = level
            }
        }
        return bestLevel
    }

    /// A (2r+1)² disc structuring element for libvips `morph` (255 = set, 128 = don't care).
    static func disc(radius: Int) throws -> VipsImage {
        let side = 2 * radius + 1
        let rows = (0..<side).map { y in
            (0..<side).map { x -> Double in
                let dx = x - radius, dy = y - radius
                return dx * dx + dy * dy <= radius * radius ? 255 : 128
            }
        }
        return try VipsImage.matrix(rows)
    }
}
