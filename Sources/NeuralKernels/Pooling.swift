/// Max pooling and strided subsampling; the window geometry max and average pooling share.
extension Kernels {
    /// Stride and output size of a floor-mode pooling window (max or average, as PyTorch's): one check of kernel,
    /// stride and padding (pad ≤ kernel/2, PyTorch's rule) and of an input at least one padded window large.
    static func poolGeometry(_ op: String, h: Int, w: Int, kernel: Int, stride: Int?,
                             padding: Int) throws -> (stride: Int, oh: Int, ow: Int) {
        let s = stride ?? kernel
        guard kernel > 0, s > 0, padding >= 0, padding * 2 <= kernel else {
            throw TensorError.invalidArgument(op: op, detail: "kernel \(kernel), stride \(s), padding \(padding) (pad ≤ k/2)")
        }
        guard h + 2 * padding >= kernel, w + 2 * padding >= kernel else {
            throw TensorError.shapeMismatch(op: op, detail: "input \(h)×\(w) smaller than kernel \(kernel)")
        }
        return (s, (h + 2 * padding - kernel) / s + 1, (w + 2 * padding - kernel) / s + 1)
    }

    /// Max pooling (torch max_pool2d, floor mode, −∞ padding). Returns the output and, per output element,
    /// the flat index inside its input plane of the chosen maximum (first one in scan order).
    public static func maxPool2dWithIndices(_ x: Tensor, kernel: Int, stride: Int? = nil,
                                            padding: Int = 0) throws -> (output: Tensor, indices: [Int32]) {
        let (n, c, h, w) = try x.nchw("maxPool2d")
        let (s, oh, ow) = try poolGeometry("maxPool2d", h: h, w: w, kernel: kernel, stride: stride, padding: padding)
        var y = Tensor(uninitializedShape: [n, c, oh, ow])
        var idx = [Int32](repeating: 0, count: n * c * oh * ow)
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { yp in
                idx.withUnsafeMutableBufferPointer { ib in
                    guard let ip0 = ib.baseAddress else { return }  // n·c = 0: no planes to pool
                    let out = UncheckedBox((yp, ip0))
                    parallelChunks(n &* c, costPerItem: oh &* ow &* kernel &* kernel) { r in
                        for plane in r {
                            let sp = src + plane &* h &* w
                            let dp = out.value.0 + plane &* oh &* ow, ip = out.value.1 + plane &* oh &* ow
                            for oy in 0..<oh {
                                let y0 = oy &* s &- padding
                                for ox in 0..<ow {
                                    let x0 = ox &* s &- padding
                                    var best = -Float.infinity, bestIndex = -1
                                    for ky in max(0, y0)..<min(h, y0 &+ kernel) {
                                        for kx in max(0, x0)..<min(w, x0 &+ kernel) {
                                            let v = sp[ky &* w &+ kx]
                                            if v > best || v.isNaN || bestIndex < 0 {
                                                best = v; bestIndex = ky &* w &+ kx
                                                if v.isNaN { break }
                                            }
                                        }
                                    }
                                    dp[oy &* ow &+ ox] = best
                                    ip[oy &* ow &+ ox] = Int32(bestIndex)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, idx)
    }

    public static func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
        try maxPool2dWithIndices(x, kernel: kernel, stride: stride, padding: padding).output
    }

    /// Routes each output gradient to its input maximum.
    public static func maxPool2dBackward(gradOutput dy: Tensor, indices: [Int32], inputShape: [Int]) throws -> Tensor {
        guard inputShape.count == 4, dy.rank == 4, dy.shape[0] == inputShape[0], dy.shape[1] == inputShape[1],
              indices.count == dy.count else {
            throw TensorError.shapeMismatch(op: "maxPool2dBackward", detail: "gradOutput \(dy.shape), input \(inputShape)")
        }
        let planes = dy.shape[0] * dy.shape[1], outPlane = dy.shape[2] * dy.shape[3]
        let inPlane = inputShape[2] * inputShape[3]
        var dx = Tensor(zeros: inputShape)
        dy.withUnsafePointer { g in
            dx.withUnsafeMutablePointer { d in
                indices.withUnsafeBufferPointer { ib in
                    for p in 0..<planes {
                        let dp = d + p &* inPlane, gp = g + p &* outPlane, base = p &* outPlane
                        for i in 0..<outPlane { dp[Int(ib[base &+ i])] += gp[i] }
                    }
                }
            }
        }
        return dx
    }

    /// x[:, :, ::step, ::step] (strided subsampling, output ⌈H/step⌉×⌈W/step⌉).
    public static func subsample(_ x: Tensor, step: Int = 2) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("subsample")
        guard step > 0 else { throw TensorError.invalidArgument(op: "subsample", detail: "step \(step)") }
        let oh = (h + step - 1) / step, ow = (w + step - 1) / step
        var y = Tensor(uninitializedShape: [n, c, oh, ow])
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { yp in
                for p in 0..<(n &* c) {
                    let sp = src + p &* h &* w, dp = yp + p &* oh &* ow
                    for oy in 0..<oh { for ox in 0..<ow { dp[oy &* ow &+ ox] = sp[oy &* step &* w &+ ox &* step] } }
                }
            }
        }
        return y
    }

    /// Adjoint of `subsample`: gradient scattered back to every `step`-th pixel of an input of `inputShape`.
    public static func subsampleBackward(gradOutput dy: Tensor, inputShape: [Int], step: Int = 2) throws -> Tensor {
        guard inputShape.count == 4, step > 0 else {
            throw TensorError.invalidArgument(op: "subsampleBackward", detail: "input \(inputShape), step \(step)")
        }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let oh = (h + step - 1) / step, ow = (w + step - 1) / step
        guard dy.shape == [n, c, oh, ow] else {
            throw TensorError.shapeMismatch(op: "subsampleBackward", detail: "gradOutput \(dy.shape) for input \(inputShape)")
        }
        var dx = Tensor(zeros: inputShape)
        dy.withUnsafePointer { g in
            dx.withUnsafeMutablePointer { d in
                for p in 0..<(n &* c) {
                    let gp = g + p &* oh &* ow, dp = d + p &* h &* w
                    for oy in 0..<oh { for ox in 0..<ow { dp[oy &* step &* w &+ ox &* step] = gp[oy &* ow &+ ox] } }
                }
            }
        }
        return dx
    }
}
