/// Reflection padding (torch.nn.ReflectionPad2d) and its adjoint.
extension Kernels {
    /// Pads H and W by reflection (edge not repeated); each pad must be < the dimension it pads.
    public static func reflectPad(_ x: Tensor, left: Int, right: Int, top: Int, bottom: Int) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("reflectPad")
        guard min(left, right, top, bottom) >= 0, max(left, right) < w, max(top, bottom) < h else {
            throw TensorError.invalidArgument(op: "reflectPad",
                detail: "pads (l \(left), r \(right), t \(top), b \(bottom)) must be ≥ 0 and < input size \(h)×\(w)")
        }
        let oh = h + top + bottom, ow = w + left + right
        var y = Tensor(uninitializedShape: [n, c, oh, ow])
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { yp in
                let dst = UncheckedBox(yp)
                parallelChunks(n &* c, costPerItem: oh &* ow) { r in
                    for plane in r {
                        let sp = src + plane &* h &* w, dp = dst.value + plane &* oh &* ow
                        for oy in 0..<oh {
                            let iy = reflectIndex(oy &- top, h)
                            let s = sp + iy &* w, d = dp + oy &* ow
                            for j in 0..<left { d[j] = s[left &- j] }
                            (d + left).update(from: s, count: w)
                            for j in 0..<right { d[left &+ w &+ j] = s[w &- 2 &- j] }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Same pad on all four sides.
    public static func reflectPad(_ x: Tensor, _ pad: Int) throws -> Tensor {
        try reflectPad(x, left: pad, right: pad, top: pad, bottom: pad)
    }

    /// Adjoint of `reflectPad`: folds the padded gradient back onto the input.
    public static func reflectPadBackward(gradOutput dy: Tensor, left: Int, right: Int, top: Int,
                                          bottom: Int) throws -> Tensor {
        let (n, c, oh, ow) = try dy.nchw("reflectPadBackward")
        let h = oh - top - bottom, w = ow - left - right
        guard h > max(top, bottom), w > max(left, right) else {
            throw TensorError.invalidArgument(op: "reflectPadBackward", detail: "pads too large for \(dy.shape)")
        }
        var dx = Tensor(zeros: [n, c, h, w])
        dy.withUnsafePointer { src in
            dx.withUnsafeMutablePointer { dxp in
                let dst = UncheckedBox(dxp)
                parallelChunks(n &* c, costPerItem: oh &* ow) { r in
                    for plane in r {
                        let sp = src + plane &* oh &* ow, dp = dst.value + plane &* h &* w
                        for oy in 0..<oh {
                            let iy = reflectIndex(oy &- top, h)
                            let s = sp + oy &* ow, d = dp + iy &* w
                            for j in 0..<left { d[left &- j] += s[j] }
                            for j in 0..<w { d[j] += s[left &+ j] }
                            for j in 0..<right { d[w &- 2 &- j] += s[left &+ w &+ j] }
                        }
                    }
                }
            }
        }
        return dx
    }
}

@inline(__always)
func reflectIndex(_ i: Int, _ n: Int) -> Int {
    if i < 0 { return -i }
    if i >= n { return 2 &* (n &- 1) &- i }
    return i
}
