import Foundation

/// Unary elementwise kernels and their backward passes.
extension Kernels {
    /// y = f(x) elementwise, run in parallel chunks.
    @inline(__always)
    static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        var y = Tensor(uninitializedShape: x.shape)
        let src = x.unsafePointer
        y.withUnsafeMutableBufferPointer { yb in
            let dst = UncheckedBox(yb.baseAddress!)
            parallelChunks(x.count, costPerItem: 1) { r in
                for i in r { dst.value[i] = f(src[i]) }
            }
        }
        return y
    }

    /// z = f(a, b) elementwise for equal shapes.
    @inline(__always)
    static func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        var y = Tensor(uninitializedShape: a.shape)
        let pa = a.unsafePointer, pb = b.unsafePointer
        y.withUnsafeMutableBufferPointer { yb in
            let dst = UncheckedBox(yb.baseAddress!)
            parallelChunks(a.count, costPerItem: 1) { r in
                for i in r { dst.value[i] = f(pa[i], pb[i]) }
            }
        }
        return y
    }

    public static func relu(_ x: Tensor) -> Tensor { map(x) { max($0, 0) } }
    /// dx = dy where x > 0.
    public static func reluBackward(gradOutput dy: Tensor, input x: Tensor) -> Tensor {
        zipMap(dy, x) { g, v in v > 0 ? g : 0 }
    }

    public static func leakyRelu(_ x: Tensor, slope: Float = 0.01) -> Tensor { map(x) { $0 > 0 ? $0 : $0 * slope } }
    public static func leakyReluBackward(gradOutput dy: Tensor, input x: Tensor, slope: Float = 0.01) -> Tensor {
        zipMap(dy, x) { g, v in v > 0 ? g : g * slope }
    }

    public static func tanh(_ x: Tensor) -> Tensor { map(x) { Foundation.tanh($0) } }
    /// dx = dy·(1 − y²) from the forward output y.
    public static func tanhBackward(gradOutput dy: Tensor, output y: Tensor) -> Tensor {
        zipMap(dy, y) { g, v in g * (1 - v * v) }
    }

    public static func sigmoid(_ x: Tensor) -> Tensor { map(x) { 1 / (1 + Foundation.exp(-$0)) } }
    public static func sigmoidBackward(gradOutput dy: Tensor, output y: Tensor) -> Tensor {
        zipMap(dy, y) { g, v in g * v * (1 - v) }
    }

    /// x·s + t elementwise.
    public static func affine(_ x: Tensor, scale s: Float, shift t: Float = 0) -> Tensor { map(x) { $0 * s + t } }

    /// |x|; the gradient at 0 is 0 (like PyTorch's sign).
    public static func abs(_ x: Tensor) -> Tensor { map(x) { Swift.abs($0) } }
    public static func sign(_ x: Tensor) -> Tensor { map(x) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }

    /// x^p (NaN for negative x with fractional p, as in PyTorch).
    public static func pow(_ x: Tensor, _ p: Float) -> Tensor {
        if p == 2 { return map(x) { $0 * $0 } }
        if p == 3 { return map(x) { $0 * $0 * $0 } }
        return map(x) { Foundation.pow($0, p) }
    }

    public static func sqrt(_ x: Tensor) -> Tensor { map(x) { $0.squareRoot() } }
    public static func exp(_ x: Tensor) -> Tensor { map(x) { Foundation.exp($0) } }
    public static func log(_ x: Tensor) -> Tensor { map(x) { Foundation.log($0) } }

    /// max(x, lo) elementwise (torch.clamp(min:)).
    public static func clamp(_ x: Tensor, min lo: Float) -> Tensor { map(x) { Swift.max($0, lo) } }
    public static func clamp(_ x: Tensor, max hi: Float) -> Tensor { map(x) { Swift.min($0, hi) } }

    /// 1 where x > threshold else 0 (a mask for `select`).
    public static func greater(_ x: Tensor, than threshold: Float) -> Tensor { map(x) { $0 > threshold ? 1 : 0 } }

    /// mask ≠ 0 ? a : b elementwise (torch.where); all three of one shape.
    public static func select(mask: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard mask.shape == a.shape, a.shape == b.shape else {
            throw TensorError.shapeMismatch(op: "select", detail: "mask \(mask.shape), a \(a.shape), b \(b.shape)")
        }
        var y = Tensor(uninitializedShape: a.shape)
        let m = mask.unsafePointer, pa = a.unsafePointer, pb = b.unsafePointer
        y.withUnsafeMutableBufferPointer { d in
            for i in 0..<a.count { d[i] = m[i] != 0 ? pa[i] : pb[i] }
        }
        return y
    }
}
