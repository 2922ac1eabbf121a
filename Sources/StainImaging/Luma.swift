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

    /// The 256-bin histogram of the luma: one full pass over the image (a statistics pass).
    public static func histogram(of image: VipsImage, _ context: RunContext, label: String) throws -> Histogram {
        let gray = try of(image)
        context.progress.begin(label)
        defer { context.progress.end() }
        let hist = try ProgressMonitor.observe(gray, context) { try gray.call("hist_find") }
        let counts = try hist.pixels(as: UInt32.self).map(UInt64.init)
        return try Histogram(counts: counts)
    }
}
