import StainCore
import Vips

/// The 8-bit luma every enhancement node works on: L = round(0.299 R + 0.587 G + 0.114 B) for 3+ bands
/// (extra bands such as alpha are ignored), the image itself (cast to 8-bit) for 1 or 2 bands. 16-bit inputs are
/// first scaled to 8 bits by round(v / 257) (`VipsImage.eightBit`, the read node's rule), never clipped.
public enum Luma {
    public static let weights = [0.299, 0.587, 0.114]

    /// A lazy 1-band uchar luma image.
    public static func of(_ image: VipsImage) throws -> VipsImage {
        let image = image.format == .ushort ? try image.eightBit() : image
        var gray: VipsImage
        if image.bands >= 3 {
            let rgb = image.bands == 3 ? image : try image.call("extract_band", ["band": .int(0), "n": .int(3)])
            gray = try rgb.call("recomb", ["m": .image(try VipsImage.matrix([weights]))])
            gray = try gray.call("round", ["round": .enumeration("rint")])
        } else {
            gray = image.bands == 1 ? image : try image.call("extract_band", ["band": .int(0)])
        }
        // Tagged b-w: the cast keeps the source's tag, and an 8-bit image labelled grey16 or rgb16 makes libvips'
        // savers read 16-bit rows from the 8-bit buffer.
        return try gray.cast(to: .uchar).withInterpretation(.bw)
    }

    /// The 256-bin histogram of the luma: one full pass over the image (a statistics pass). With a `mask` (255
    /// tissue, 0 glass, at any resolution: it is scaled to the image), only the pixels under tissue count.
    public static func histogram(of image: VipsImage, mask: VipsImage? = nil, _ context: RunContext,
                                 label: String) throws -> Histogram {
        let gray = try of(image)
        context.progress.begin(label)
        defer { context.progress.end() }
        guard let mask else {
            let hist = try ProgressMonitor.observe(gray, context) { try gray.call("hist_find") }
            return try Histogram(counts: hist.pixels(as: UInt32.self).map(UInt64.init))
        }
        // A joint histogram of (luma, mask) in one pass; the row of mask level 255 is the tissue's histogram.
        let scaled = try mask.cast(to: .uchar)
            .call("resize", ["scale": .double(Double(gray.width) / Double(mask.width)),
                             "vscale": .double(Double(gray.height) / Double(mask.height)),
                             "kernel": .enumeration("nearest")])
            .call("embed", ["x": .int(0), "y": .int(0), "width": .int(gray.width), "height": .int(gray.height),
                            "extend": .enumeration("copy")])
            .call("relational_const", ["relational": .enumeration("moreeq"), "c": .doubles([128])])
        let joined = try gray.bandjoin([scaled])
        let hist = try ProgressMonitor.observe(joined, context) { try joined.call("hist_find_ndim", ["bins": .int(256)]) }
        let counts = try hist.crop(x: 0, y: 255, width: 256, height: 1).pixels(as: UInt32.self).map(UInt64.init)
        guard counts.contains(where: { $0 > 0 }) else {
            throw NodeRunError(.failure, "\(label): the mask marks no pixel as tissue")
        }
        return try Histogram(counts: counts)
    }
}
