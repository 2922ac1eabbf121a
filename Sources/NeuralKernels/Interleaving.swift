/// Images arrive and leave interleaved (row-major, channels last: libvips' layout); the kernels work on planar NCHW.
extension Tensor {
    /// [1, C, H, W] from interleaved H×W×C values.
    public init(interleaved values: [Float], width: Int, height: Int, channels: Int) {
        precondition(values.count == width * height * channels, "interleaved buffer does not match the shape")
        self.init(uninitializedShape: [1, channels, height, width])
        let plane = width * height
        withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { v in
                for i in 0..<plane { for c in 0..<channels { out[c &* plane &+ i] = v[i &* channels &+ c] } }
            }
        }
    }

    /// Image `index` of an NCHW tensor as interleaved H×W×C values.
    public func interleaved(index n: Int = 0) -> [Float] {
        let c = shape[1], plane = shape[2] * shape[3]
        var out = [Float](repeating: 0, count: c * plane)
        withUnsafeBufferPointer { v in
            let base = n &* c &* plane
            for i in 0..<plane { for k in 0..<c { out[i &* c &+ k] = v[base &+ k &* plane &+ i] } }
        }
        return out
    }
}
