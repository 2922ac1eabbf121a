import ArgumentParser
import Foundation
import StainCore
import Vips

/// `stain info`: what a file is, before a pipeline is written for it — format, size, pixel format, pyramid levels,
/// microns per pixel, associated images, properties; optionally a thumbnail.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an image or slide: format, size, depth, pyramid levels, µm/px, associated images, properties.",
        discussion: """
            Slides and images over 64 megapixels are described from their headers; smaller images are also decoded, \
            to find damage. Level numbers are what `read`'s `level` and `--level` take: OpenSlide levels, or the page \
            numbers of a pyramidal TIFF. Exit 2 for a missing file, 3 for one that is empty, damaged or not an image.
            """)

    @Argument(help: "Image or slide file.")
    var image: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Write a thumbnail (by extension: .png, .jpg, .tif, ...).", valueName: "file"))
    var thumbnail: String?

    @Option(help: "Longest side of the thumbnail in pixels (never larger than the image).")
    var thumbnailSize: Int = 256

    func validate() throws {
        guard thumbnailSize >= 1 && thumbnailSize <= 16384 else {
            throw ValidationError("--thumbnail-size must be between 1 and 16384, got \(thumbnailSize)")
        }
        if let thumbnail {
            guard VipsImage.saverName(for: thumbnail) != nil else {
                throw ValidationError("cannot write a thumbnail as '\(thumbnail)': no image format has that "
                    + "extension (use .png, .jpg or .tif)")
            }
            if SamePath.same(thumbnail, image) {
                throw ValidationError("the thumbnail '\(thumbnail)' would replace the image it describes")
            }
        }
    }

    func run() throws {
        try Failure.guarded {
            let info = try ImageInfo.read(image)
            var thumbnailSize: (width: Int, height: Int)?
            if let thumbnail { thumbnailSize = try writeThumbnail(to: thumbnail) }
            if json {
                print(String(decoding: try InfoReport.json(info, thumbnail: thumbnail, size: thumbnailSize), as: UTF8.self))
            } else {
                print(InfoReport.text(info, thumbnail: thumbnail, size: thumbnailSize))
            }
            Failure.warnLibvips()
        }
    }

    /// libvips' `thumbnail` shrinks while loading (from the smallest pyramid level that is large enough), so a
    /// thumbnail of a gigapixel slide takes a moment. Alpha (OpenSlide's RGBA) is flattened on white so that any
    /// format, JPEG included, can hold it. The file is written atomically; missing folders are created.
    func writeThumbnail(to path: String) throws -> (width: Int, height: Int) {
        let shrunk: VipsImage
        do {
            shrunk = try Vips.operation("thumbnail", [
                "filename": .string(image), "width": .int(thumbnailSize), "height": .int(thumbnailSize),
                "size": .enumeration("down"),
            ]).image()
        } catch {
            throw NodeRunError(.unreadableInput, "cannot make a thumbnail of '\(image)': "
                + ErrorText.describe(error).split(separator: "\n").joined(separator: "; "))
        }
        let flat = shrunk.hasAlpha ? try shrunk.flatten(background: [255]) : shrunk
        try OutputFiles.createFolder(for: path)
        try flat.write(to: path)
        return (flat.width, flat.height)
    }
}

/// The two renderings of an `ImageInfo`: lines for people, JSON for programs (same content).
enum InfoReport {
    static func text(_ info: ImageInfo, thumbnail: String?, size: (width: Int, height: Int)?) -> String {
        var lines = ["file: \(info.path) (\(info.bytes) bytes)"]
        let vendor = info.openSlideVendor.map { ", vendor \($0)" } ?? ""
        lines.append("format: \(info.formatName)\(vendor) (libvips \(info.loader))")
        lines.append("size: \(info.width) × \(info.height) px, \(info.bands) band\(info.bands == 1 ? "" : "s"), "
            + "\(info.bandFormat.nick) (\(ImageInfo.depth(info.bandFormat))), \(info.interpretation)")
        if info.pageCount > 1 { lines.append("pages: \(info.pageCount)") }
        lines.append("levels: \(info.levels.count)")
        for level in info.levels {
            lines.append("  level \(level.level): \(level.width) × \(level.height) px, downsample \(number(level.downsample))")
        }
        if !info.otherPages.isEmpty {
            lines.append("other pages: " + info.otherPages.map { "page \($0.page) \($0.width) × \($0.height) px" }
                .joined(separator: ", "))
        }
        if info.pagesExamined < info.pageCount {
            lines.append("  (levels looked for in the first \(info.pagesExamined) of \(info.pageCount) pages)")
        }
        if let r = info.resolution {
            lines.append("resolution: \(number(r.x)) × \(number(r.y)) µm/px (\(r.source))")
        } else {
            lines.append("resolution: unknown (the file records none, or only the 72 dpi screen default)")
        }
        if info.loader == "openslideload" {
            let associated = info.associatedImages.map { image in
                image.width.map { "\(image.name) \($0) × \(image.height ?? 0) px" } ?? image.name
            }
            lines.append("associated images: " + (associated.isEmpty ? "none" : associated.joined(separator: ", ")))
        }
        lines.append("properties: \(info.properties.count)")
        for entry in info.properties { lines.append("  \(entry.name): \(oneLine(entry.value))") }
        lines.append(info.decoded ? "decoded: yes, every pixel of level 0 (no damage found)"
            : "decoded: no (\(info.loader == "openslideload" ? "a slide" : "over \(ImageInfo.maxDecodedPixels / 1_000_000) megapixels"): headers only)")
        if let thumbnail, let size { lines.append("thumbnail: wrote \(thumbnail) (\(size.width) × \(size.height) px)") }
        return lines.joined(separator: "\n")
    }

    static func json(_ info: ImageInfo, thumbnail: String?, size: (width: Int, height: Int)?) throws -> Data {
        var object: [String: Any] = [
            "file": info.path, "bytes": info.bytes, "format": info.formatName, "loader": info.loader,
            "width": info.width, "height": info.height, "bands": info.bands, "band-format": info.bandFormat.nick,
            "depth": ImageInfo.depth(info.bandFormat), "interpretation": info.interpretation, "pages": info.pageCount,
            "levels": info.levels.map { ["level": $0.level, "width": $0.width, "height": $0.height,
                                         "downsample": $0.downsample] as [String: Any] },
            "other-pages": info.otherPages.map { ["page": $0.page, "width": $0.width, "height": $0.height] },
            "pages-examined": info.pagesExamined,
            "properties": Dictionary(info.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
            "decoded": info.decoded,
        ]
        object["openslide-vendor"] = info.openSlideVendor ?? NSNull()
        if let r = info.resolution {
            object["microns-per-pixel"] = ["x": r.x, "y": r.y, "source": r.source] as [String: Any]
        } else {
            object["microns-per-pixel"] = NSNull()
        }
        object["associated-images"] = info.associatedImages.map { image -> [String: Any] in
            ["name": image.name, "width": image.width ?? NSNull(), "height": image.height ?? NSNull()]
        }
        if let thumbnail, let size {
            object["thumbnail"] = ["file": thumbnail, "width": size.width, "height": size.height] as [String: Any]
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Up to 6 significant digits, without trailing zeros: 2, 0.499, 4.00049.
    static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.6g", value)
    }

    /// Property values can hold line breaks (Aperio's description); one line each keeps the listing readable.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " | ")
    }
}
