// Moving pixels between libvips and Swift: read the whole image or a region into an interleaved Swift array
// (extract_area + vips_image_write_to_memory, computed on libvips workers), and make a memory image from one.
internal import CVips

extension VipsImage {
    /// All pixels, interleaved (row-major, bands fastest). `T` must match `format` (cast first otherwise).
    public func pixels<T: VipsPixel>(as type: T.Type = T.self) throws -> [T] {
        guard format == T.bandFormat else {
            throw VipsError("image format is \(format.nick), not \(T.bandFormat.nick): cast it first")
        }
        var size = 0
        guard let memory = vips_image_write_to_memory(pointer, &size) else {
            throw VipsError.fromBuffer(context: "reading pixels")
        }
        defer { g_free(memory) }
        let count = width * height * bands
        guard size == count * MemoryLayout<T>.stride else {
            throw VipsError("libvips returned \(size) bytes for \(count) values of \(T.bandFormat.nick)")
        }
        return [T](UnsafeBufferPointer(start: memory.assumingMemoryBound(to: T.self), count: count))
    }

    /// The pixels of a rectangle, interleaved. The rectangle must lie inside the image.
    public func region<T: VipsPixel>(x: Int, y: Int, width: Int, height: Int, as type: T.Type = T.self) throws -> [T] {
        guard x >= 0, y >= 0, width > 0, height > 0, x < self.width, y < self.height,
              width <= self.width - x, height <= self.height - y else {
            throw VipsError("region \(width)x\(height) at (\(x), \(y)) is outside the "
                + "\(self.width)x\(self.height) image")
        }
        if x == 0, y == 0, width == self.width, height == self.height { return try pixels(as: T.self) }
        let area = try call("extract_area", ["left": .int(x), "top": .int(y), "width": .int(width),
                                             "height": .int(height)], input: "input")
        return try area.pixels(as: T.self)
    }

    /// A new memory image holding a copy of `buffer` (interleaved, row-major, bands fastest). The interpretation
    /// defaults to b-w/srgb for 1/3/4-band uchar, grey16/rgb16 for ushort, multiband otherwise.
    public static func from<T: VipsPixel>(buffer: [T], width: Int, height: Int, bands: Int,
                                          interpretation: Interpretation? = nil) throws -> VipsImage {
        try Vips.start()
        let (area, overflowA) = width.multipliedReportingOverflow(by: height)
        let (needed, overflowB) = area.multipliedReportingOverflow(by: bands)
        guard width > 0, height > 0, bands > 0, width <= Int(Int32.max), height <= Int(Int32.max),
              bands <= Int(Int32.max), !overflowA, !overflowB else {
            throw VipsError("invalid image size \(width)x\(height)x\(bands)")
        }
        guard buffer.count == needed else {
            throw VipsError("buffer holds \(buffer.count) values, a \(width)x\(height)x\(bands) image needs \(needed)")
        }
        let made = buffer.withUnsafeBytes { bytes in
            vips_image_new_from_memory_copy(bytes.baseAddress, bytes.count, Int32(width), Int32(height),
                                            Int32(bands), VipsBandFormat(rawValue: T.bandFormat.rawValue))
        }
        guard let made else { throw VipsError.fromBuffer(context: "making a memory image") }
        let image = VipsImage(taking: made)
        let wanted = interpretation ?? defaultInterpretation(format: T.bandFormat, bands: bands)
        guard image.interpretation != wanted else { return image }
        return try image.call("copy", ["interpretation": wanted.value])
    }

    /// Mean of all band values of all pixels.
    public func average() throws -> Double {
        try Vips.operation("avg", ["in": .image(self)]).double("out")
    }
}
