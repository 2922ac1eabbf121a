// Pixel formats and colour interpretations of libvips images, and the Swift element types that map onto them.
internal import CVips

/// libvips band format (the numeric type of one band of one pixel). Raw values are libvips' own codes.
public enum BandFormat: Int32, Sendable, CaseIterable {
    case uchar = 0, char = 1, ushort = 2, short = 3, uint = 4, int = 5, float = 6, complex = 7, double = 8,
         dpcomplex = 9

    /// libvips' name for the format, e.g. "uchar", as operations such as `cast` take it.
    public var nick: String {
        switch self {
        case .uchar: "uchar"
        case .char: "char"
        case .ushort: "ushort"
        case .short: "short"
        case .uint: "uint"
        case .int: "int"
        case .float: "float"
        case .complex: "complex"
        case .double: "double"
        case .dpcomplex: "dpcomplex"
        }
    }

    /// Bytes per band value.
    public var bytesPerValue: Int {
        switch self {
        case .uchar, .char: 1
        case .ushort, .short: 2
        case .uint, .int, .float: 4
        case .complex, .double: 8
        case .dpcomplex: 16
        }
    }

    /// Value for an operation argument of enum type VipsBandFormat.
    public var value: VipsValue { .enumeration(nick) }
}

/// libvips colour interpretation of an image. Raw values are libvips' own codes.
public enum Interpretation: Int32, Sendable, CaseIterable {
    case multiband = 0, bw = 1, histogram = 10, xyz = 12, lab = 13, cmyk = 15, labq = 16, rgb = 17, cmc = 18,
         lch = 19, labs = 21, srgb = 22, yxy = 23, fourier = 24, rgb16 = 25, grey16 = 26, matrix = 27, scrgb = 28,
         hsv = 29

    /// libvips' name for the interpretation, e.g. "srgb" or "b-w".
    public var nick: String {
        _ = try? Vips.start()
        guard let name = vips_enum_nick(stainkit_type_interpretation(), rawValue) else { return "\(rawValue)" }
        return String(cString: name)
    }

    /// Value for an operation argument of enum type VipsInterpretation.
    public var value: VipsValue { .enumeration(nick) }
}

/// A Swift element type that holds one band value of a libvips image, interleaved pixel by pixel.
public protocol VipsPixel: Sendable, Numeric {
    static var bandFormat: BandFormat { get }
}

extension UInt8: VipsPixel { public static var bandFormat: BandFormat { .uchar } }
extension Int8: VipsPixel { public static var bandFormat: BandFormat { .char } }
extension UInt16: VipsPixel { public static var bandFormat: BandFormat { .ushort } }
extension Int16: VipsPixel { public static var bandFormat: BandFormat { .short } }
extension UInt32: VipsPixel { public static var bandFormat: BandFormat { .uint } }
extension Int32: VipsPixel { public static var bandFormat: BandFormat { .int } }
extension Float: VipsPixel { public static var bandFormat: BandFormat { .float } }
extension Double: VipsPixel { public static var bandFormat: BandFormat { .double } }
