// Small helpers the graph's nodes need: matrix images (for recomb, conv) and materializing an image in memory.
internal import CVips

extension VipsImage {
    /// A libvips matrix image (1 band, double) from rows, e.g. the 1×3 luma weights for `recomb`.
    public static func matrix(_ rows: [[Double]]) throws -> VipsImage {
        try Vips.start()
        let height = rows.count, width = rows.first?.count ?? 0
        guard width > 0, rows.allSatisfy({ $0.count == width }) else {
            throw VipsError("a matrix needs equal, non-empty rows")
        }
        let flat = rows.flatMap { $0 }
        guard let image = flat.withUnsafeBufferPointer({
            vips_image_new_matrix_from_array(Int32(width), Int32(height), $0.baseAddress, Int32(flat.count))
        }) else { throw VipsError.fromBuffer(context: "matrix") }
        return VipsImage(taking: image)
    }

    /// Computes the image once into memory, so that later reads do not recompute it.
    public func copyToMemory() throws -> VipsImage {
        guard let image = vips_image_copy_memory(pointer) else { throw VipsError.fromBuffer(context: "copy to memory") }
        return VipsImage(taking: image)
    }
}
