// Typed shortcuts for the operations the pipeline nodes use most, so callers need no operation names or
// argument spellings for them. Everything else goes through `call` / `Vips.operation`.
extension VipsImage {
    /// Converts band values to another format, clipping to its range (no scaling unless `shift`). From a float
    /// format to an integer one, values are rounded to nearest first (libvips' cast alone truncates: 54.9999 → 54).
    public func cast(to format: BandFormat, shift: Bool = false, round: Bool = true) throws -> VipsImage {
        if format == self.format { return self }
        let floating: Set<BandFormat> = [.float, .double, .complex, .dpcomplex]
        let source = round && floating.contains(self.format) && !floating.contains(format)
            ? try call("round", ["round": .enumeration("rint")]) : self
        return try source.call("cast", ["format": format.value, "shift": .bool(shift)])
    }

    /// A rectangle of the image (must lie inside it).
    public func crop(x: Int, y: Int, width: Int, height: Int) throws -> VipsImage {
        try call("extract_area", ["left": .int(x), "top": .int(y), "width": .int(width), "height": .int(height)],
                 input: "input")
    }

    /// `count` bands starting at `first`.
    public func extractBands(_ first: Int, count: Int = 1) throws -> VipsImage {
        try call("extract_band", ["band": .int(first), "n": .int(count)])
    }

    /// This image's bands followed by those of `others` (same size; formats are promoted).
    public func bandjoin(_ others: [VipsImage]) throws -> VipsImage {
        try Vips.operation("bandjoin", ["in": .images([self] + others)]).image()
    }

    /// Scales by `scale` (and `verticalScale` if given) with libvips' default (lanczos3) kernel.
    public func resize(scale: Double, verticalScale: Double? = nil) throws -> VipsImage {
        var arguments: [String: VipsValue] = ["scale": .double(scale)]
        if let verticalScale { arguments["vscale"] = .double(verticalScale) }
        return try call("resize", arguments)
    }

    /// Converts to another colour space, e.g. `.lab`, `.bw`, `.srgb`.
    public func colourspace(_ space: Interpretation) throws -> VipsImage {
        try call("colourspace", ["space": space.value])
    }

    /// Replaces the interpretation tag without touching pixels.
    public func withInterpretation(_ interpretation: Interpretation) throws -> VipsImage {
        if interpretation == self.interpretation { return self }
        return try call("copy", ["interpretation": interpretation.value])
    }

    /// Sets the resolution tags (pixels per millimetre), e.g. from microns per pixel: 1000 / mpp.
    public func withResolution(x: Double, y: Double) throws -> VipsImage {
        try call("copy", ["xres": .double(x), "yres": .double(y)])
    }

    /// Removes the alpha band by blending onto `background` (one value per remaining band, or one for all).
    public func flatten(background: [Double] = [255]) throws -> VipsImage {
        hasAlpha ? try call("flatten", ["background": .doubles(background)]) : self
    }

    /// Smallest and largest band value over the whole image.
    public func minMax() throws -> (min: Double, max: Double) {
        let low = try Vips.operation("min", ["in": .image(self)]).double()
        let high = try Vips.operation("max", ["in": .image(self)]).double()
        return (low, high)
    }

    /// Per-band histogram as counts: `[band][value]`, for uchar (256 bins) or ushort (65536 bins) images.
    public func histogram() throws -> [[Int]] {
        guard format == .uchar || format == .ushort else {
            throw VipsError("histogram needs a uchar or ushort image, not \(format.nick)")
        }
        let table = try call("hist_find")
        let counts = try table.cast(to: .double).pixels(as: Double.self)
        let bins = table.width, bands = table.bands
        return (0..<bands).map { band in (0..<bins).map { Int(counts[$0 * bands + band]) } }
    }
}
