// Listing an image's metadata for people (`stain info`): every field as text, binary fields by their size only,
// and the saver libvips would use for a file name, so a command can refuse an output it cannot write before it
// does any work.
internal import CVips
import Foundation

extension VipsImage {
    /// One metadata field as people read it.
    public struct MetadataEntry: Sendable, Equatable {
        public let name: String
        /// The value as text; binary data (ICC profiles, EXIF, XMP blobs) is `"<N bytes>"`, because libvips' own
        /// text for a blob holds a memory address, which differs on every run.
        public let value: String
        /// Whether the field holds binary data.
        public let isBinary: Bool
    }

    /// Every metadata field (what `vipsheader -a` lists), in libvips' order.
    public var metadata: [MetadataEntry] {
        fieldNames.compactMap { name in
            if let bytes = blobSize(name) { return MetadataEntry(name: name, value: "<\(bytes) bytes>", isBinary: true) }
            guard let text = stringField(name) else { return nil }
            return MetadataEntry(name: name, value: text, isBinary: false)
        }
    }

    /// The size of a binary (blob) field, or nil when the field is absent or not binary.
    func blobSize(_ name: String) -> Int? {
        guard vips_image_get_typeof(pointer, name) == vips_blob_get_type() else { return nil }
        var data: UnsafeRawPointer?
        var length = 0
        guard vips_image_get_blob(pointer, name, &data, &length) == 0 else {
            vips_error_clear()
            return nil
        }
        return length
    }

    /// The saver libvips picks for `path` from its extension (e.g. "pngsave", "jpegsave", "tiffsave"), or nil when
    /// no saver writes that kind of file.
    public static func saverName(for path: String) -> String? {
        foreignOperationName(for: path, find: vips_foreign_find_save)
    }
}
