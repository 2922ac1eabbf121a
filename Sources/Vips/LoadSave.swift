// Loading any format libvips can sniff (vips_foreign_find_load) and saving by file extension
// (vips_foreign_find_save), atomically: write a hidden temporary file in the same folder, then rename it.
internal import CVips
import Foundation

extension VipsImage {
    /// Opens an image file with whichever loader libvips picks from its contents (PNG, JPEG, TIFF, OpenSlide, ...).
    /// Pixels are read lazily. `options` go to the loader, e.g. `["page": .int(1)]` for TIFF, `["level": .int(2)]`
    /// for OpenSlide, `["access": .enumeration("sequential")]` for one top-to-bottom pass.
    public convenience init(contentsOf path: String, options: [String: VipsValue] = [:]) throws {
        try Vips.start()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw VipsError("no such image file: \(path)")
        }
        guard let loader = vips_foreign_find_load(path) else {
            throw VipsError.fromBuffer(context: "cannot open \(path)")
        }
        try self.init(contentsOf: path, loader: String(cString: loader), options: options)
    }

    /// Opens an image file with a named loader, e.g. "openslideload" or "tiffload".
    ///
    /// Loading is strict: unless `options` say otherwise (`fail_on`), a truncated or damaged file makes the read
    /// that reaches the damage throw, instead of libvips' default of warning and filling the rest with black (a
    /// silently wrong result). Pass `["fail_on": .enumeration("none")]` to get libvips' lenient behaviour back.
    public convenience init(contentsOf path: String, loader: String, options: [String: VipsValue] = [:]) throws {
        var arguments = options
        arguments["filename"] = .string(path)
        if arguments["fail_on"] == nil && arguments["fail"] == nil { arguments["fail_on"] = .enumeration("error") }
        let result: VipsOperationResult
        do {
            result = try OperationRunner.run(loader, arguments, cached: false)
        } catch let error as VipsError {
            throw VipsError("cannot open \(path): \(error.message)")
        }
        let image = try result.image("out")
        self.init(retaining: image.pointer)
    }

    /// The loader libvips would pick for a file (e.g. "pngload", "openslideload"), or nil when none can read it.
    public static func loaderName(for path: String) -> String? {
        foreignOperationName(for: path, find: vips_foreign_find_load)
    }

    /// The nickname of the operation `find` (libvips' loader or saver lookup) picks for `path`, or nil; a failed
    /// lookup's libvips error is cleared, since nil is the answer, not a failure.
    static func foreignOperationName(for path: String,
                                     find: (UnsafePointer<CChar>) -> UnsafePointer<CChar>?) -> String? {
        guard (try? Vips.start()) != nil, let operation = find(path),
              let nickname = vips_nickname_find(g_type_from_name(operation)) else {
            vips_error_clear()
            return nil
        }
        return String(cString: nickname)
    }

    /// Saves the image with the saver chosen from the file extension (.png, .jpg, .tif, .tiff, ...). The file is
    /// written under a temporary name in the same folder and renamed into place, so `path` either holds the whole
    /// new image or is untouched; on error no temporary file remains. TIFF options: `tile`, `tile_width`,
    /// `tile_height`, `pyramid`, `compression` ("jpeg", "deflate", "none", ...), `Q`, `bigtiff`.
    public func write(to path: String, options: [String: VipsValue] = [:]) throws {
        try atomicSave(self, to: path, options: options)
    }

    /// Saves `image` (self or a monitored copy of self) to `path` through a temporary file and a rename.
    /// `cancelled` is asked after the saver finished: when true, the temporary file is removed and nothing replaces
    /// `path`.
    func atomicSave(_ image: VipsImage, to path: String, options: [String: VipsValue],
                    cancelled: () -> Bool = { false }) throws {
        try Vips.start()
        guard let saver = vips_foreign_find_save(path) else {
            throw VipsError.fromBuffer(context: "cannot save \(path)")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.deletingPathExtension().lastPathComponent).tmp-\(UUID().uuidString).\(url.pathExtension)").path
        var arguments = options
        // A saver picks its bit depth from the interpretation: 8-bit pixels labelled grey16/rgb16 would make it
        // read 16-bit rows from an 8-bit buffer. No saver ever sees such an image.
        arguments["in"] = .image(try image.withConsistentInterpretation())
        arguments["filename"] = .string(temporary)
        do {
            _ = try OperationRunner.run(String(cString: saver), arguments, cached: false)
        } catch let error as VipsError {
            unlink(temporary)
            // The temporary name is ours, not the caller's: name the file they asked for.
            throw VipsError("cannot save \(path): \(error.message.replacingOccurrences(of: temporary, with: path))")
        }
        if cancelled() {
            unlink(temporary)
            throw VipsError("cannot save \(path): cancelled")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw VipsError("cannot move the finished file into place at \(path): \(reason)")
        }
    }
}
