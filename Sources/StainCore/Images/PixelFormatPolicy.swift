import Vips

/// The one pixel-format policy at the edge, shared by `read`, `stain histogram` and the metrics (`stain eval`,
/// `read-folder`): which images StainKit accepts, and how they become the 8-bit gray or RGB(A) the nodes compute on.
/// Decided from the file's header alone, so `stain validate` reports it before any pixel moves.
///
/// | file holds | becomes |
/// |---|---|
/// | 8-bit gray, gray+alpha, RGB, RGBA | itself (alpha is flattened on white by `read` unless `keep-alpha`) |
/// | palette or 1/2/4-bit images | expanded by the loader to 8-bit gray/RGB(A) |
/// | 16-bit unsigned | 8-bit by round(v / 257), with a warning (`keep-format` keeps 16 bits) |
/// | float, signed or 32-bit integers | rejected (`keep-format` keeps them: LAB images, displacement fields) |
/// | CMYK, or more than 4 bands | rejected: convert to sRGB first |
/// | more pixels than the limit | rejected (a decompression bomb, or a slide that needs a higher limit) |
public enum PixelFormatPolicy {
    /// The default pixel limit for ordinary images: 4000 megapixels (63 245² — far above any photo or tile, and a
    /// real 1-byte-per-pixel image that size is 4 GB). OpenSlide slides get `slideMaxPixels`.
    public static let defaultMaxPixels = 4_000_000_000
    /// The default for OpenSlide formats, whose full-resolution level is often tens of gigapixels, stored in tiles.
    public static let slideMaxPixels = 400_000_000_000

    /// An image that passed the policy, with the conversions it needed.
    public struct Admitted: Sendable {
        public let image: VipsImage
        public let warnings: [String]
    }

    /// Why an image was refused: names the file, what it holds and what is needed.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Checks `image` (loaded lazily from `file`) and converts it to 8 bits where the policy says so.
    /// `keepFormat` keeps 16-bit, float and integer pixels as they are (tagged consistently); `maxPixels` nil means
    /// the default for the file's kind.
    public static func admit(_ image: VipsImage, file: String, keepFormat: Bool = false,
                             maxPixels: Int? = nil, isSlide: Bool = false) throws -> Admitted {
        let limit = maxPixels ?? (isSlide ? slideMaxPixels : defaultMaxPixels)
        let pixels = image.width.multipliedReportingOverflow(by: image.height)
        if pixels.overflow || pixels.partialValue > limit {
            throw Refusal(message: "'\(file)' is \(image.width)×\(image.height) pixels, over the limit of "
                + "\(megapixels(limit)) megapixels: a decompression bomb, or a real image too large for the limit "
                + "(raise max-megapixels: the read node's parameter, or `stain histogram --max-megapixels`)")
        }
        let what = describe(image)
        if image.interpretation == .cmyk {
            throw Refusal(message: "'\(file)' is CMYK (\(what)); StainKit reads gray or RGB(A) images: convert it to "
                + "sRGB first (e.g. `vips icc_transform`)")
        }
        if image.bands > 4 && !keepFormat {
            throw Refusal(message: "'\(file)' has \(image.bands) bands (\(what)); StainKit reads 1 (gray), 2 (gray+alpha), "
                + "3 (RGB) or 4 (RGBA) bands")
        }
        switch image.format {
        case .uchar:
            return Admitted(image: try image.withConsistentInterpretation(), warnings: [])
        case .ushort where !keepFormat:
            return Admitted(image: try image.eightBit(), warnings: [
                "'\(file)' has 16-bit pixels (\(what)); converted to 8-bit by round(v / 257)",
            ])
        case _ where keepFormat:
            return Admitted(image: try image.withConsistentInterpretation(), warnings: [])
        default:
            throw Refusal(message: "'\(file)' has \(bits(image.format)) pixels (\(what)); StainKit computes on 8-bit "
                + "(or 16-bit, scaled to 8-bit) gray or RGB images: convert it, or set keep-format: true on read to "
                + "pass the pixels on unchanged (LAB images for from-lab, displacement fields)")
        }
    }

    /// E.g. "3 bands, srgb, 512×512".
    static func describe(_ image: VipsImage) -> String {
        "\(image.bands) band\(image.bands == 1 ? "" : "s"), \(image.interpretation.nick), \(image.width)×\(image.height)"
    }

    /// E.g. "32-bit float".
    static func bits(_ format: BandFormat) -> String {
        switch format {
        case .uchar: "8-bit unsigned"
        case .char: "8-bit signed"
        case .ushort: "16-bit unsigned"
        case .short: "16-bit signed"
        case .uint: "32-bit unsigned integer"
        case .int: "32-bit signed integer"
        case .float: "32-bit float"
        case .double: "64-bit float"
        case .complex, .dpcomplex: "complex"
        }
    }

    static func megapixels(_ pixels: Int) -> Int { pixels / 1_000_000 }
}
