import Foundation
import StainCore
import Vips

/// Opening images by path, with pyramid levels handled per format.
public enum ImageOpening {
    /// Opens `path`; `level` selects an OpenSlide level or a pyramidal TIFF page (level 0 = full resolution).
    public static func open(_ path: String, level: Int) throws -> VipsImage {
        let lower = path.lowercased()
        let slideExtensions = [".svs", ".ndpi", ".mrxs", ".scn", ".vms", ".vmu", ".bif", ".svslide"]
        if slideExtensions.contains(where: lower.hasSuffix) {
            guard Vips.hasOperation("openslideload") else {
                throw NodeRunError(.unreadableInput, "'\(path)' needs OpenSlide, but libvips has no openslideload "
                    + "(install libvips-dev / libvips42 with its openslide module)")
            }
            return try VipsImage(contentsOf: path, options: ["level": .int(level)])
        }
        if level > 0 {
            guard lower.hasSuffix(".tif") || lower.hasSuffix(".tiff") else {
                throw NodeRunError(.unreadableInput, "level \(level) needs a pyramidal TIFF or a slide, '\(path)' is neither")
            }
            return try VipsImage(contentsOf: path, options: ["page": .int(level)])
        }
        return try VipsImage(contentsOf: path)
    }
}
