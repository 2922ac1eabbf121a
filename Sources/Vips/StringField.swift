internal import CVips

extension VipsImage {
    /// A copy of the image (pixels shared, lazily) with a string metadata field set, e.g. `image-description`,
    /// which the TIFF saver writes as the ImageDescription tag (OME-XML for OME-TIFF).
    public func withStringField(_ name: String, _ value: String) throws -> VipsImage {
        let copy = try call("copy")
        vips_image_set_string(copy.pointer, name, value)
        return copy
    }

}
