/// Average pooling (torch avg_pool2d, floor mode, zero padding).
extension Kernels {
    /// Window means; with `countIncludePad` false the divisor counts only in-image pixels (as Inception's pools).
    public static func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0,
                                 countIncludePad: Bool = true) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("avgPool2d")
        let (s, oh, ow) = try poolGeometry("avgPool2d", h: h, w: w, kernel: kernel, stride: stride, padding: padding)
        var y = Tensor(uninitializedShape: [n, c, oh, ow])
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { yp in
                let dst = UncheckedBox(yp)
                parallelChunks(n &* c, costPerItem: oh &* ow &* kernel &* kernel) { r in
                    for plane in r {
                        let sp = src + plane &* h &* w, dp = dst.value + plane &* oh &* ow
                        for oy in 0..<oh { for ox in 0..<ow {
                            let (y0, y1, x0, x1, div) = window(oy, ox, s, padding, kernel, h, w, countIncludePad)
                            var acc: Float = 0
                            for iy in y0..<y1 { for ix in x0..<x1 { acc += sp[iy &* w &+ ix] } }
                            dp[oy &* ow &+ ox] = acc / div
                        } }
                    }
                }
            }
        }
        return y
    }

    /// Adjoint of `avgPool2d` for an input of `inputShape`.
    public static func avgPool2dBackward(gradOutput dy: Tensor, inputShape: [Int], kernel: Int, stride: Int? = nil,
                                         padding: Int = 0, countIncludePad: Bool = true) throws -> Tensor {
        guard inputShape.count == 4 else {
            throw TensorError.shapeMismatch(op: "avgPool2dBackward", detail: "input shape \(inputShape)")
        }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (s, oh, ow) = try poolGeometry("avgPool2d", h: h, w: w, kernel: kernel, stride: stride, padding: padding)
        guard dy.shape == [n, c, oh, ow] else {
            throw TensorError.shapeMismatch(op: "avgPool2dBackward", detail: "gradOutput \(dy.shape) for input \(inputShape)")
        }
        var dx = Tensor(zeros: inputShape)
        dy.withUnsafePointer { g in
            dx.withUnsafeMutablePointer { d in
                for plane in 0..<(n &* c) {
                    let gp = g + plane &* oh &* ow, dp = d + plane &* h &* w
                    for oy in 0..<oh { for ox in 0..<ow {
                        let (y0, y1, x0, x1, div) = window(oy, ox, s, padding, kernel, h, w, countIncludePad)
                        let v = gp[oy &* ow &+ ox] / div
                        for iy in y0..<y1 { for ix in x0..<x1 { dp[iy &* w &+ ix] += v } }
                    } }
                }
            }
        }
        return dx
    }

    @inline(__always)
    private static func window(_ oy: Int, _ ox: Int, _ s: Int, _ p: Int, _ k: Int, _ h: Int, _ w: Int,
                               _ includePad: Bool) -> (Int, Int, Int, Int, Float) {
        let ys = oy &* s &- p, xs = ox &* s &- p
        let ye = min(ys &+ k, h &+ p), xe = min(xs &+ k, w &+ p)
        let padded = (ye &- ys) &* (xe &- xs)
        let y0 = max(ys, 0), x0 = max(xs, 0), y1 = min(ye, h), x1 = min(xe, w)
        let div = includePad ? padded : (y1 &- y0) &* (x1 &- x0)
        return (y0, y1, x0, x1, Float(max(div, 1)))
    }
}

/// Average pooling on a Variable.
public func avgPool2d(_ x: Variable, kernel: Int, stride: Int? = nil, padding: Int = 0,
                      countIncludePad: Bool = true) throws -> Variable {
    let shape = x.shape
    let y = try Kernels.avgPool2d(x.value, kernel: kernel, stride: stride, padding: padding,
                                  countIncludePad: countIncludePad)
    return record(y, [x]) { g, _ in
        [try Kernels.avgPool2dBackward(gradOutput: g, inputShape: shape, kernel: kernel, stride: stride,
                                       padding: padding, countIncludePad: countIncludePad)]
    }
}

/// Instance norm (no affine) followed by ReLU in one pass; backward = ReLU mask and instance-norm backward in one
/// pass per plane.
public func instanceNormReLU(_ x: Variable, eps: Float = 1e-5) throws -> Variable {
    let xv = x.value
    let y = try Kernels.instanceNorm(xv, eps: eps, fusedReLU: true)
    return record(y, [x]) { g, _ in
        [try Kernels.instanceNormBackward(gradOutput: g, input: xv, eps: eps, reluOutput: y).input]
    }
}
