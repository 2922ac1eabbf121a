// Keeping an image's interpretation tag in step with its band format, and the one 16-bit → 8-bit rule.
//
// libvips savers choose the bit depth they write from the interpretation (grey16/rgb16 mean 16-bit), but the pixel
// buffer they read follows the band format. An 8-bit image still labelled grey16 (what `cast` leaves behind) makes
// the PNG saver read 16-bit rows from an 8-bit buffer: memory-unsafe, nondeterministic output. So every image that
// reaches a saver, and every image a pipeline node outputs, carries an interpretation that matches its format.

extension VipsImage {
    /// The interpretation this image should carry for its band format and band count: 8-bit images are b-w (1–2
    /// bands) or srgb (3+ bands), 16-bit unsigned ones grey16 or rgb16; other tags that already match (lab on
    /// float, cmyk on uchar, multiband, ...) are kept.
    public var consistentInterpretation: Interpretation {
        let gray = bands <= 2
        switch (format, interpretation) {
        case (.uchar, .grey16), (.uchar, .rgb16), (.char, .grey16), (.char, .rgb16):
            return gray ? .bw : .srgb
        case (.uchar, .bw) where !gray, (.uchar, .srgb) where gray:
            return gray ? .bw : .srgb
        case (.ushort, .bw), (.ushort, .srgb), (.ushort, .grey16), (.ushort, .rgb16):
            return gray ? .grey16 : .rgb16
        default:
            return interpretation
        }
    }

    /// This image with `consistentInterpretation` (no copy of pixels; self when the tag already matches).
    public func withConsistentInterpretation() throws -> VipsImage {
        try withInterpretation(consistentInterpretation)
    }

    /// An 8-bit version of a 16-bit unsigned image by the documented rule v8 = round(v16 / 257), which maps
    /// 0 → 0 and 65535 → 255 exactly and every 8-bit value v·257 back to v; other formats are cast (rounded, clipped).
    /// The result is tagged b-w or srgb.
    public func eightBit() throws -> VipsImage {
        let scaled: VipsImage
        switch format {
        case .uchar: scaled = self
        case .ushort:
            // float32 holds v / 257 to ~1e-5, far from the nearest .5 tie (≥ 1/514 away for integer v): exact.
            scaled = try call("linear", ["a": .doubles([1.0 / 257.0]), "b": .doubles([0])])
                .call("round", ["round": .enumeration("rint")]).cast(to: .uchar)
        default: scaled = try cast(to: .uchar)
        }
        return try scaled.withInterpretation(bands <= 2 ? .bw : .srgb)
    }
}
