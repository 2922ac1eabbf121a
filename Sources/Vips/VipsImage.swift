// The owned image handle: one libvips reference per wrapper (g_object_unref in deinit), header properties,
// metadata, and a live-wrapper counter for leak tests.
internal import CVips
import Foundation

/// An immutable libvips image. Pixels are computed lazily by libvips when the image is written or read.
/// Safe to share between threads: libvips images are immutable once built.
public final class VipsImage: @unchecked Sendable {
    /// The owned reference.
    let pointer: UnsafeMutablePointer<CVips.VipsImage>

    /// Takes over one reference the caller already owns.
    init(taking pointer: UnsafeMutablePointer<CVips.VipsImage>) {
        self.pointer = pointer
        LiveWrappers.change(by: 1)
    }

    /// Adds a reference of its own.
    convenience init(retaining pointer: UnsafeMutablePointer<CVips.VipsImage>) {
        g_object_ref(pointer)
        self.init(taking: pointer)
    }

    deinit {
        g_object_unref(pointer)
        LiveWrappers.change(by: -1)
    }

    /// Number of VipsImage wrappers alive right now (for leak tests).
    public static var liveWrapperCount: Int { LiveWrappers.count }

    public var width: Int { Int(vips_image_get_width(pointer)) }
    public var height: Int { Int(vips_image_get_height(pointer)) }
    public var bands: Int { Int(vips_image_get_bands(pointer)) }

    /// Band format; images with an unknown code (never produced by libvips) read as uchar.
    public var format: BandFormat { BandFormat(rawValue: vips_image_get_format(pointer).rawValue) ?? .uchar }

    /// Colour interpretation; unknown codes read as multiband.
    public var interpretation: Interpretation {
        Interpretation(rawValue: vips_image_get_interpretation(pointer).rawValue) ?? .multiband
    }

    public var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }

    /// The file this image was loaded from (kept by libvips through operations that copy the header), if any.
    public var filename: String? {
        guard let name = vips_image_get_filename(pointer) else { return nil }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }

    /// Horizontal and vertical resolution in pixels per millimetre.
    public var xres: Double { vips_image_get_xres(pointer) }
    public var yres: Double { vips_image_get_yres(pointer) }

    /// Number of pages (e.g. pyramid levels or IFDs of a TIFF) in the file this image was loaded from; 1 otherwise.
    public var pageCount: Int { Int(vips_image_get_n_pages(pointer)) }

    /// Names of all metadata fields.
    public var fieldNames: [String] {
        guard let fields = vips_image_get_fields(pointer) else { return [] }
        defer { g_strfreev(fields) }
        var names: [String] = []
        var index = 0
        while let name = fields[index] {
            names.append(String(cString: name))
            index += 1
        }
        return names
    }

    /// An integer metadata field, or nil when absent or not an integer.
    public func intField(_ name: String) -> Int? {
        var value: Int32 = 0
        guard vips_image_get_typeof(pointer, name) != 0, vips_image_get_int(pointer, name, &value) == 0 else {
            vips_error_clear()
            return nil
        }
        return Int(value)
    }

    /// A floating-point metadata field, or nil when absent or not a number.
    public func doubleField(_ name: String) -> Double? {
        var value = 0.0
        guard vips_image_get_typeof(pointer, name) != 0, vips_image_get_double(pointer, name, &value) == 0 else {
            vips_error_clear()
            return nil
        }
        return value
    }

    /// Any metadata field as text (what `vipsheader -f name` prints), or nil when absent.
    public func stringField(_ name: String) -> String? {
        var text: UnsafeMutablePointer<CChar>?
        guard vips_image_get_typeof(pointer, name) != 0, vips_image_get_as_string(pointer, name, &text) == 0,
              let text else {
            vips_error_clear()
            return nil
        }
        defer { g_free(text) }
        return String(cString: text)
    }

    /// A new image (same pixels, no copy) with a text metadata field set, e.g. "image-description", which
    /// tiffsave writes into the TIFF ImageDescription tag. The copy is private, so the original is untouched.
    public func withField(_ name: String, string value: String) throws -> VipsImage {
        let copy = try OperationRunner.run("copy", ["in": .image(self)], cached: false).image()
        vips_image_set_string(copy.pointer, name, value)
        return copy
    }

    /// A new image (same pixels, no copy) with an integer metadata field set.
    public func withField(_ name: String, int value: Int) throws -> VipsImage {
        let copy = try OperationRunner.run("copy", ["in": .image(self)], cached: false).image()
        vips_image_set_int(copy.pointer, name, Int32(clamping: value))
        return copy
    }

    /// Runs an operation with this image as its `input` argument (default "in") and returns its "out" image.
    public func call(_ operation: String, _ arguments: [String: VipsValue] = [:], input: String = "in") throws
        -> VipsImage {
        var all = arguments
        all[input] = .image(self)
        return try Vips.operation(operation, all).image("out")
    }
}

/// Thread-safe count of live wrappers.
enum LiveWrappers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var live = 0

    static func change(by delta: Int) {
        lock.lock()
        live += delta
        lock.unlock()
    }

    static var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return live
    }
}
