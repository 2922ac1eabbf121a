import StainCore
import Vips

/// The level mappings of histogram matching, in exact integer arithmetic on the cumulative counts.
public enum HistogramMatching {
    public enum Mode: String, Sendable, CaseIterable {
        /// The paper's light enhancement: z = c_ref⁻¹(1 − c_src(v)) (dark-field → bright-field look).
        case inverse
        /// Classic matching: z = c_ref⁻¹(c_src(v)).
        case forward
    }

    /// For each source level v, the smallest reference level u with c_ref(u) ≥ t(v), where t = 1 − c_src (inverse)
    /// or c_src (forward), and c(v) is the fraction of pixels with value ≤ v.
    public static func lookupTable(source: Histogram, reference: Histogram, mode: Mode) -> [UInt8] {
        let nSrc = source.total, nRef = reference.total
        var cumRef = [UInt64](repeating: 0, count: 256)
        var running: UInt64 = 0
        for u in 0..<256 { running += reference.counts[u]; cumRef[u] = running }
        var lut = [UInt8](repeating: 255, count: 256)
        var cumSrc: UInt64 = 0
        for v in 0..<256 {
            cumSrc += source.counts[v]
            // c_ref(u) ≥ t  ⇔  cumRef(u)·nSrc ≥ target·nRef, with target = nSrc − cumSrc (inverse) or cumSrc.
            let target = mode == .inverse ? nSrc - cumSrc : cumSrc
            var u = 0
            while u < 255 && productLess(cumRef[u], nSrc, target, nRef) { u += 1 }
            lut[v] = UInt8(u)
        }
        return lut
    }

    /// a·b < c·d without overflow.
    static func productLess(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Bool {
        let left = a.multipliedFullWidth(by: b), right = c.multipliedFullWidth(by: d)
        return left.high < right.high || (left.high == right.high && left.low < right.low)
    }
}

extension HistogramMatching {
    /// Applies a level mapping to an 8-bit 1-band image, lazily (libvips `maplut`).
    public static func apply(_ lut: [UInt8], to gray: VipsImage) throws -> VipsImage {
        try gray.call("maplut", ["lut": .image(try VipsImage.from(buffer: lut, width: 256, height: 1, bands: 1))])
    }
}
