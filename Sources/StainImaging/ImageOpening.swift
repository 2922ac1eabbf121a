import Foundation
import StainCore
import Vips

/// Opening images by path, with pyramid levels handled per format, and the checks every input image gets from its
/// header before any pixel moves: the file is an image, the level exists, and `PixelFormatPolicy` accepts it.
public enum ImageOpening {
    static let slideExtensions = [".svs", ".ndpi", ".mrxs", ".scn", ".vms", ".vmu", ".bif", ".svslide"]

    /// Whether `path` is opened with OpenSlide (by extension, as `open` decides).
    public static func isSlide(_ path: String) -> Bool {
        slideExtensions.contains(where: path.lowercased().hasSuffix)
    }

    /// Opens `path`; `level` selects an OpenSlide level or a pyramidal TIFF page (level 0 = full resolution).
    /// Loading is strict (libvips `fail_on`): damage found while decoding fails the read instead of giving black.
    public static func open(_ path: String, level: Int) throws -> VipsImage {
        let lower = path.lowercased()
        if isSlide(path) {
            guard Vips.hasOperation("openslideload") else {
                throw NodeRunError(.unreadableInput, "'\(path)' needs OpenSlide, but libvips has no openslideload "
                    + "(install libvips-dev / libvips42 with its openslide module)")
            }
            // OpenSlide's loader by name: a slide extension on a file libvips would otherwise open with another
            // loader (a generic tiled TIFF named .svs) must still get `level`, which only openslideload takes.
            return try Vips.operation("openslideload", ["filename": .string(path), "level": .int(level)]).image()
        }
        if level > 0 {
            guard lower.hasSuffix(".tif") || lower.hasSuffix(".tiff") else {
                throw NodeRunError(.unreadableInput, "level \(level) needs a pyramidal TIFF or a slide, '\(path)' is neither")
            }
            return try VipsImage(contentsOf: path, options: ["page": .int(level)])
        }
        return try VipsImage(contentsOf: path)
    }

    /// Why an input image cannot be used, and whether the file (exit 3) or the pipeline's `level` (exit 2) is at fault.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let message: String
        /// True when the file exists and is readable but the requested level does not exist in it.
        public let isLevel: Bool
        public var description: String { message }
    }

    /// Opens `path` at `level` from its header and applies `PixelFormatPolicy`; every failure names the file.
    public static func admit(_ path: String, level: Int, keepFormat: Bool = false, maxPixels: Int? = nil) throws
        -> PixelFormatPolicy.Admitted {
        let image: VipsImage
        do {
            image = try open(path, level: level)
        } catch {
            throw problem(path, level: level, error)
        }
        do {
            return try PixelFormatPolicy.admit(image, file: path, keepFormat: keepFormat, maxPixels: maxPixels,
                                               isSlide: isSlide(path))
        } catch let refusal as PixelFormatPolicy.Refusal {
            throw Problem(message: refusal.message, isLevel: false)
        }
    }

    /// A clear message for a file that did not open: empty, not an image, a missing level, or libvips' reason.
    static func problem(_ path: String, level: Int, _ error: Error) -> Problem {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        if size == 0 { return Problem(message: "'\(path)' is empty (0 bytes), not an image", isLevel: false) }
        if level > 0 && !isSlide(path) && !path.lowercased().hasSuffix(".tif") && !path.lowercased().hasSuffix(".tiff") {
            return Problem(message: "level \(level) needs a pyramidal TIFF or a slide, '\(path)' is neither", isLevel: true)
        }
        if !isSlide(path) && VipsImage.loaderName(for: path) == nil {
            return Problem(message: "'\(path)' is not an image StainKit can read (not PNG, JPEG, TIFF or another "
                + "format libvips knows, judging by its first bytes)", isLevel: false)
        }
        if level > 0, let levels = levelCount(path) {
            if level >= levels {
                return Problem(message: "'\(path)' has \(levels) level\(levels == 1 ? "" : "s") (0...\(levels - 1)); "
                    + "level \(level) does not exist", isLevel: true)
            }
        }
        if let run = error as? NodeRunError { return Problem(message: run.message, isLevel: false) }
        // libvips' text, on one line, without repeating the path.
        var reason = ErrorText.describe(error)
        if reason.hasPrefix("cannot open \(path): ") { reason.removeFirst("cannot open \(path): ".count) }
        reason = reason.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
        return Problem(message: "cannot read '\(path)': \(reason)", isLevel: false)
    }

    /// Levels of a slide, or pages of a (pyramidal) TIFF; nil when level 0 does not open either.
    static func levelCount(_ path: String) -> Int? {
        guard let base = try? open(path, level: 0) else { return nil }
        return levelCount(path, base: base)
    }

    /// The same, from level 0 already opened.
    static func levelCount(_ path: String, base: VipsImage) -> Int? {
        if isSlide(path) { return base.stringField("openslide.level-count").flatMap { Int($0) } }
        return base.pageCount
    }

    /// Images larger than this are not decoded again to look for damage after a failed run (that would take
    /// minutes); their failure is reported with libvips' own text.
    static let damageCheckMaxPixels = 1_000_000_000

    /// Decodes the whole image at `level`; returns what stops it (truncation, corrupt data, with the loader's
    /// warnings), or nil when sound. Slides are not decoded (OpenSlide reads tiles on demand and reports its errors).
    public static func damage(_ path: String, level: Int) -> String? {
        if isSlide(path) { return nil }
        _ = Vips.takeWarnings()
        do {
            let image = try open(path, level: level)
            if image.width * image.height > damageCheckMaxPixels { return nil }
            _ = try Vips.operation("avg", ["in": .image(image)]).double()
            return nil
        } catch {
            // libvips' last line names the decoder's complaint; "avg: " is only the operation that pulled pixels.
            var reason = ErrorText.describe(error).split(separator: "\n").last.map(String.init) ?? "\(error)"
            if reason.hasPrefix("avg: ") { reason.removeFirst(5) }
            let warnings = Vips.takeWarnings().filter { !$0.hasPrefix("error in tile") }
            return "'\(path)' is damaged or truncated: " + (warnings + [reason]).joined(separator: "; ")
        }
    }
}

extension ImageOpening {
    /// Microns per pixel of level 0, from OpenSlide's `mpp-x` or the image's resolution; nil when the file does not
    /// say (libvips reports 1 pixel per mm then). A level's is this times its downsample: pyramidal TIFF writers
    /// often copy level 0's resolution tag into every page.
    public static func micronsPerPixel(level0 image: VipsImage) -> Double? {
        if let mpp = image.stringField("openslide.mpp-x").flatMap(Double.init), mpp > 0 { return mpp }
        guard image.xres > 0, image.xres != 1 else { return nil }
        return 1000 / image.xres
    }

    /// The level to read for a wanted resolution: the coarsest level whose pixels are no larger than `target` µm
    /// (within 1 %), so the image has at least the resolution asked for; level 0 when even that is coarser.
    public static func level(forMicronsPerPixel target: Double, _ path: String) throws -> Int {
        let base: VipsImage
        do { base = try open(path, level: 0) } catch { throw problem(path, level: 0, error) }
        guard let base0 = micronsPerPixel(level0: base) else {
            throw Problem(message: "'\(path)' does not record its pixel size, so a level cannot be chosen by mpp; "
                          + "use level", isLevel: true)
        }
        var chosen = 0
        for level in 1..<max(1, levelCount(path, base: base) ?? 1) {
            guard let image = try? open(path, level: level), image.width < base.width else { break }
            let mpp = base0 * Double(base.width) / Double(image.width)
            if mpp <= target * 1.01 { chosen = level } else { break }
        }
        return chosen
    }
}
