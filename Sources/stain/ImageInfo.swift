import ArgumentParser
import Foundation
import StainImaging
import StainCore
import Vips

/// What `stain info` reports about one image or slide: the loader, size and pixel format, pyramid levels, microns
/// per pixel, associated images and the remaining metadata. Everything comes from headers (libvips opens files
/// lazily), so it is fast even on a gigapixel slide; only small images are decoded in full, to find damage.
struct ImageInfo {
    /// One pyramid level. `level` is the number `read` takes (`level: N`, `--level N`): the OpenSlide level, or for a
    /// TIFF the page number (so levels can skip numbers when a TIFF holds other pages between them).
    struct Level {
        let level: Int
        let width: Int
        let height: Int
        /// How many level-0 pixels one pixel of this level spans (OpenSlide's figure, or the mean of the two side
        /// ratios for TIFF pages, as OpenSlide computes it).
        let downsample: Double
    }

    /// A page of a multi-page file that is not a reduced copy of page 0 (a label, a thumbnail, another image).
    struct Page {
        let page: Int
        let width: Int
        let height: Int
    }

    /// Microns per pixel and where the figure came from.
    struct Resolution {
        let x: Double
        let y: Double
        let source: String
    }

    /// An image a slide holds besides its pyramid (label, macro, thumbnail); sizes are nil when not recorded.
    struct AssociatedImage {
        let name: String
        let width: Int?
        let height: Int?
    }

    let path: String
    let bytes: Int
    /// The libvips loader that reads the file (e.g. "tiffload", "openslideload").
    let loader: String
    /// The OpenSlide vendor (e.g. "aperio", "generic-tiff") when the file is read through OpenSlide.
    let openSlideVendor: String?
    let width: Int
    let height: Int
    let bands: Int
    let bandFormat: BandFormat
    let interpretation: String
    /// Pages in the file (TIFF IFDs, animation frames); 1 for single images and slides.
    let pageCount: Int
    let levels: [Level]
    let otherPages: [Page]
    /// How many pages were opened to find the levels (at most `maxPagesExamined`).
    let pagesExamined: Int
    let resolution: Resolution?
    let associatedImages: [AssociatedImage]
    /// The remaining metadata (OpenSlide and vendor properties, EXIF, ...), minus what the fields above already say.
    let properties: [VipsImage.MetadataEntry]
    /// Whether every pixel of level 0 was decoded (and found sound); false for slides and large images.
    let decoded: Bool

    /// TIFF pages opened to find levels: enough for any pyramid (a 2^40-pixel side needs 40), few enough that a
    /// 10 000-page stack does not take minutes.
    static let maxPagesExamined = 64

    /// Images up to this many pixels are decoded in full to find damage (a 64 MP PNG takes about a second);
    /// larger ones, and slides, are described from their headers only.
    static let maxDecodedPixels = 64_000_000

    /// libvips' header fields that `size`, `format` and `resolution` already report, and fields the structured
    /// parts (levels, associated images) replace.
    static let reportedFields: Set<String> = [
        "width", "height", "bands", "format", "coding", "interpretation", "xoffset", "yoffset", "xres", "yres",
        "filename", "vips-loader", "n-pages", "slide-level", "slide-associated-images", "openslide.level-count",
        "openslide.mpp-x", "openslide.mpp-y", "openslide.vendor",
    ]

    /// Reads what there is to know about `path`. A missing file is a usage error (exit 2, like a missing input file
    /// in a pipeline); a file that is empty, not an image, or damaged is unreadable input (exit 3).
    static func read(_ path: String) throws -> ImageInfo {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("no such file '\(path)'")
        }
        guard !isDirectory.boolValue else { throw ValidationError("'\(path)' is a folder, not an image file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw NodeRunError(.unreadableInput, "cannot read '\(path)': permission denied")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if bytes == 0 { throw NodeRunError(.unreadableInput, "'\(path)' is empty (0 bytes), not an image") }

        // Slides are read the way the `read` node reads them: by OpenSlide when libvips picks it or the extension
        // says slide (a generic tiled TIFF named .svs is a slide to `read`, though libvips alone would pick tiffload).
        let sniffed = VipsImage.loaderName(for: path)
        let isSlide = sniffed == "openslideload" || ImageOpening.isSlide(path)
        if isSlide && !Vips.hasOperation("openslideload") {
            throw NodeRunError(.unreadableInput, "'\(path)' needs OpenSlide, but libvips has no openslideload "
                + "(install libvips' openslide module: libvips42 on Debian)")
        }
        guard let loader = isSlide ? "openslideload" : sniffed else {
            throw NodeRunError(.unreadableInput, "'\(path)' is not an image StainKit can read (not PNG, JPEG, TIFF, "
                + "a slide or another format libvips knows, judging by its first bytes)")
        }
        let image = try open(path, loader: loader)

        let levels: [Level]
        var otherPages: [Page] = []
        var examined = 1
        var associated: [AssociatedImage] = []
        if isSlide {
            levels = try slideLevels(image, path: path)
            associated = associatedImages(image, path: path)
        } else if loader == "tiffload" && image.pageCount > 1 {
            examined = min(image.pageCount, maxPagesExamined)
            (levels, otherPages) = try tiffLevels(image, path: path, pages: examined)
        } else {
            levels = [Level(level: 0, width: image.width, height: image.height, downsample: 1)]
        }

        var decoded = false
        if !isSlide && image.width * image.height <= maxDecodedPixels {
            if let damage = ImageOpening.damage(path, level: 0) { throw NodeRunError(.unreadableInput, damage) }
            decoded = true
        }

        let metadata = image.metadata.filter { entry in
            !reportedFields.contains(entry.name) && !entry.name.hasPrefix("openslide.level[")
                && !entry.name.hasPrefix("openslide.associated.")
        }
        return ImageInfo(
            path: path, bytes: bytes, loader: loader, openSlideVendor: isSlide ? image.stringField("openslide.vendor") : nil,
            width: image.width, height: image.height, bands: image.bands, bandFormat: image.format,
            interpretation: image.interpretation.nick, pageCount: isSlide ? 1 : image.pageCount, levels: levels,
            otherPages: otherPages, pagesExamined: examined,
            resolution: isSlide ? slideResolution(image) : fileResolution(image, loader: loader),
            associatedImages: associated, properties: metadata, decoded: decoded)
    }

    /// Opens one page, level or associated image (headers only); failures become one clear line (exit 3).
    static func open(_ path: String, loader: String, options: [String: VipsValue] = [:]) throws -> VipsImage {
        do {
            return try VipsImage(contentsOf: path, loader: loader, options: options)
        } catch {
            // libvips' text, on one line, without repeating the path.
            var reason = ErrorText.describe(error)
            if reason.hasPrefix("cannot open \(path): ") { reason.removeFirst("cannot open \(path): ".count) }
            reason = reason.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
            throw NodeRunError(.unreadableInput, "cannot read '\(path)': \(reason)")
        }
    }

    /// OpenSlide's levels, from its `openslide.level[N].*` properties; a level whose properties are missing is
    /// opened to measure it.
    static func slideLevels(_ image: VipsImage, path: String) throws -> [Level] {
        let count = image.stringField("openslide.level-count").flatMap { Int($0) } ?? 1
        return try (0..<max(1, count)).map { level in
            let prefix = "openslide.level[\(level)]."
            if let width = image.stringField(prefix + "width").flatMap({ Int($0) }),
               let height = image.stringField(prefix + "height").flatMap({ Int($0) }),
               let downsample = image.stringField(prefix + "downsample").flatMap({ Double($0) }) {
                return Level(level: level, width: width, height: height, downsample: downsample)
            }
            let page = try open(path, loader: "openslideload", options: ["level": .int(level)])
            return Level(level: level, width: page.width, height: page.height,
                         downsample: downsample(from: image, to: page.width, page.height))
        }
    }

    /// A TIFF's levels: page 0, then every page that is a reduced copy of it (same bands, smaller than the level
    /// before, same aspect ratio up to the ±1 px rounding of each side), as libvips' and most scanners' pyramids
    /// store them. Other pages (labels, thumbnails of another shape) are listed apart.
    static func tiffLevels(_ base: VipsImage, path: String, pages: Int) throws -> ([Level], [Page]) {
        var levels = [Level(level: 0, width: base.width, height: base.height, downsample: 1)]
        var others: [Page] = []
        for index in 1..<pages {
            let page = try open(path, loader: "tiffload", options: ["page": .int(index)])
            let previous = levels[levels.count - 1]
            if page.bands == base.bands && page.width < previous.width && page.height < previous.height
                && sameAspect(base.width, base.height, page.width, page.height) {
                levels.append(Level(level: index, width: page.width, height: page.height,
                                    downsample: downsample(from: base, to: page.width, page.height)))
            } else {
                others.append(Page(page: index, width: page.width, height: page.height))
            }
        }
        return (levels, others)
    }

    /// Whether a w × h page can be a w0 × h0 image shrunk by one factor d, each side rounded by at most 1 px:
    /// the ranges of d allowed by each side overlap.
    static func sameAspect(_ w0: Int, _ h0: Int, _ w: Int, _ h: Int) -> Bool {
        func range(_ full: Int, _ reduced: Int) -> ClosedRange<Double> {
            let low = Double(full) / Double(reduced + 1)
            let high = reduced > 1 ? Double(full) / Double(reduced - 1) : .infinity
            return low...high
        }
        return range(w0, w).overlaps(range(h0, h))
    }

    static func downsample(from base: VipsImage, to width: Int, _ height: Int) -> Double {
        (Double(base.width) / Double(max(1, width)) + Double(base.height) / Double(max(1, height))) / 2
    }

    /// OpenSlide's `openslide.mpp-x/y`, else the TIFF resolution tags OpenSlide passes on (`tiff.XResolution` in
    /// `tiff.ResolutionUnit`), as for generic tiled TIFFs.
    static func slideResolution(_ image: VipsImage) -> Resolution? {
        if let x = image.stringField("openslide.mpp-x").flatMap({ Double($0) }),
           let y = image.stringField("openslide.mpp-y").flatMap({ Double($0) }), x > 0, y > 0 {
            return Resolution(x: x, y: y, source: "openslide.mpp-x/y")
        }
        let micronsPerUnit: [String: Double] = ["centimeter": 10_000, "inch": 25_400]
        guard let unit = image.stringField("tiff.ResolutionUnit").flatMap({ micronsPerUnit[$0] }),
              let x = image.stringField("tiff.XResolution").flatMap({ Double($0) }),
              let y = image.stringField("tiff.YResolution").flatMap({ Double($0) }), x > 0, y > 0 else { return nil }
        return Resolution(x: unit / x, y: unit / y, source: "TIFF XResolution/YResolution")
    }

    /// The file's own resolution, which libvips gives in pixels per millimetre. Two values mean "not recorded":
    /// 1 px/mm, libvips' default when a file records none (and what it writes into files it saves), and 72 dpi,
    /// what its PNG and JPEG loaders report for files without pHYs / density (2.834 px/mm; within 0.1 %, which also
    /// covers 2835 px/m, the usual pHYs spelling of 72 dpi) — and the screen default many programs write. No
    /// microscope image has 1000 or 352.8 µm per pixel.
    static func fileResolution(_ image: VipsImage, loader: String) -> Resolution? {
        let screen = 72 / 25.4
        func recorded(_ value: Double) -> Bool { value > 0 && value != 1 && abs(value - screen) > screen * 1e-3 }
        guard recorded(image.xres), recorded(image.yres) else { return nil }
        let sources = ["tiffload": "TIFF XResolution/YResolution", "pngload": "PNG pHYs", "jpegload": "JPEG density"]
        return Resolution(x: 1000 / image.xres, y: 1000 / image.yres, source: sources[loader] ?? "libvips xres/yres")
    }

    /// The slide's associated images, from libvips' `slide-associated-images` list; sizes from OpenSlide's
    /// `openslide.associated.NAME.width/height` properties, else from opening the image's header.
    static func associatedImages(_ image: VipsImage, path: String) -> [AssociatedImage] {
        guard let list = image.stringField("slide-associated-images") else { return [] }
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names.map { name in
            let prefix = "openslide.associated.\(name)."
            if let width = image.stringField(prefix + "width").flatMap({ Int($0) }),
               let height = image.stringField(prefix + "height").flatMap({ Int($0) }) {
                return AssociatedImage(name: name, width: width, height: height)
            }
            let associated = try? VipsImage(contentsOf: path, loader: "openslideload", options: ["associated": .string(name)])
            return AssociatedImage(name: name, width: associated?.width, height: associated?.height)
        }
    }

    /// The file format's usual name, for people; the loader nickname says the rest.
    var formatName: String {
        let names = ["pngload": "PNG", "jpegload": "JPEG", "tiffload": "TIFF", "openslideload": "OpenSlide slide",
                     "webpload": "WebP", "gifload": "GIF", "heifload": "HEIF/AVIF", "jp2kload": "JPEG 2000",
                     "jxlload": "JPEG XL", "vipsload": "VIPS", "ppmload": "PPM/PGM/PBM", "fitsload": "FITS",
                     "svgload": "SVG", "pdfload": "PDF", "matload": "MATLAB", "radload": "Radiance HDR",
                     "csvload": "CSV", "matrixload": "vips matrix", "analyzeload": "Analyze", "magickload": "ImageMagick"]
        return names[loader] ?? loader.replacingOccurrences(of: "load", with: "").uppercased()
    }

    /// "8-bit unsigned" and so on, next to libvips' own name for the band format.
    static func depth(_ format: BandFormat) -> String {
        switch format {
        case .uchar: "8-bit unsigned"
        case .char: "8-bit signed"
        case .ushort: "16-bit unsigned"
        case .short: "16-bit signed"
        case .uint: "32-bit unsigned"
        case .int: "32-bit signed"
        case .float: "32-bit float"
        case .double: "64-bit float"
        case .complex: "2 × 32-bit float complex"
        case .dpcomplex: "2 × 64-bit float complex"
        }
    }
}
