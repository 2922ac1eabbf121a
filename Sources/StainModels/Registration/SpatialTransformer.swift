import NeuralKernels

/// Reg-GAN `Transformer_2D` (docs/paper.md ("Networks")): samples `image` at (row, col) + φ with bilinear interpolation,
/// border padding and align_corners=True. Differentiable in both the image and the flow.
public enum SpatialTransformer {
    /// image [N, C, H, W], flow [N, 2, H, W] (channel 0 = row, 1 = column displacement, in pixels) → [N, C, H, W].
    public static func warp(_ image: Variable, flow: Variable) throws -> Variable {
        let (n, _, h, w) = try image.value.nchw("SpatialTransformer")
        guard flow.shape == [n, 2, h, w] else {
            throw ModelError.invalidInput("flow must be [\(n), 2, \(h), \(w)] for image \(image.shape), got \(flow.shape)")
        }
        guard h >= 2, w >= 2 else { throw ModelError.inputTooSmall(layer: "SpatialTransformer", height: h, width: w) }
        // Normalised position 2·((i + φ)/(size − 1) − 0.5) = (i + φ)·2/(size − 1) − 1.
        let rows = Variable(identityGrid(n: n, h: h, w: w, alongRows: true))
        let cols = Variable(identityGrid(n: n, h: h, w: w, alongRows: false))
        let y = affine(try add(sliceChannels(flow, 0..<1), rows), scale: 2 / Float(h - 1), shift: -1)
        let x = affine(try add(sliceChannels(flow, 1..<2), cols), scale: 2 / Float(w - 1), shift: -1)
        let grid = try permute(concatChannels([x, y]), [0, 2, 3, 1])   // [N, H, W, 2] as (x, y)
        return try gridSample(image, grid: grid)
    }

    /// [N, 1, H, W] holding the row index (or the column index) of every pixel.
    static func identityGrid(n: Int, h: Int, w: Int, alongRows: Bool) -> Tensor {
        var t = Tensor(uninitializedShape: [n, 1, h, w])
        t.withUnsafeMutableBufferPointer { p in
            var k = 0
            for _ in 0..<n {
                for r in 0..<h {
                    for c in 0..<w {
                        p[k] = Float(alongRows ? r : c)
                        k &+= 1
                    }
                }
            }
        }
        return t
    }
}
