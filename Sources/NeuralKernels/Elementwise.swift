import Foundation

/// Unary elementwise kernels and their backward passes.
extension Kernels {
    /// y = f(x) elementwise, run in parallel chunks. `f` is a generic functor (not a closure) so each use is
    /// specialized and the loop vectorizes.
    @inline(__always)
    static func map<F: UnaryFunctor>(_ x: Tensor, _ f: F) -> Tensor {
        var y = Tensor(uninitializedShape: x.shape)
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in
                let src = UncheckedBox(xp), dst = UncheckedBox(yp)
                parallelChunks(x.count, costPerItem: 1) { r in
                    let s = src.value, d = dst.value
                    for i in r { d[i] = f(s[i]) }
                }
            }
        }
        return y
    }

    /// Closure form of `map` for cold paths.
    static func map(_ x: Tensor, _ f: @escaping (Float) -> Float) -> Tensor { map(x, ClosureUnary(body: f)) }

    /// z = f(a, b) elementwise for equal shapes (generic functor, vectorizable).
    @inline(__always)
    static func zipMap<F: BinaryFunctor>(_ a: Tensor, _ b: Tensor, _ f: F) -> Tensor {
        var y = Tensor(uninitializedShape: a.shape)
        a.withUnsafePointer { ap in
            b.withUnsafePointer { bp in
                y.withUnsafeMutablePointer { yp in
                    let pa = UncheckedBox(ap), pb = UncheckedBox(bp), dst = UncheckedBox(yp)
                    parallelChunks(a.count, costPerItem: 1) { r in
                        let s = pa.value, t = pb.value, d = dst.value
                        for i in r { d[i] = f(s[i], t[i]) }
                    }
                }
            }
        }
        return y
    }

    /// Closure form of `zipMap` for cold paths.
    static func zipMap(_ a: Tensor, _ b: Tensor, _ f: @escaping (Float, Float) -> Float) -> Tensor {
        zipMap(a, b, ClosureBinary(body: f))
    }

    public static func relu(_ x: Tensor) -> Tensor { map(x, ReLUFunctor()) }
    /// dx = dy where x > 0.
    public static func reluBackward(gradOutput dy: Tensor, input x: Tensor) -> Tensor {
        zipMap(dy, x, ReLUGradFunctor())
    }

    public static func leakyRelu(_ x: Tensor, slope: Float = 0.01) -> Tensor { map(x, LeakyFunctor(slope: slope)) }
    public static func leakyReluBackward(gradOutput dy: Tensor, input x: Tensor, slope: Float = 0.01) -> Tensor {
        zipMap(dy, x, LeakyGradFunctor(slope: slope))
    }

    public static func tanh(_ x: Tensor) -> Tensor { map(x, TanhFunctor()) }
    /// dx = dy·(1 − y²) from the forward output y.
    public static func tanhBackward(gradOutput dy: Tensor, output y: Tensor) -> Tensor {
        zipMap(dy, y, TanhGradFunctor())
    }

    public static func sigmoid(_ x: Tensor) -> Tensor { map(x, SigmoidFunctor()) }
    public static func sigmoidBackward(gradOutput dy: Tensor, output y: Tensor) -> Tensor {
        zipMap(dy, y) { g, v in g * v * (1 - v) }
    }

    /// x·s + t elementwise.
    public static func affine(_ x: Tensor, scale s: Float, shift t: Float = 0) -> Tensor { map(x, AffineFunctor(scale: s, shift: t)) }

    /// |x|; the gradient at 0 is 0 (like PyTorch's sign).
    public static func abs(_ x: Tensor) -> Tensor { map(x, AbsFunctor()) }
    public static func sign(_ x: Tensor) -> Tensor { map(x, SignFunctor()) }

    /// x^p (NaN for negative x with fractional p, as in PyTorch).
    public static func pow(_ x: Tensor, _ p: Float) -> Tensor {
        if p == 2 { return map(x, SquareFunctor()) }
        if p == 3 { return map(x, CubeFunctor()) }
        return map(x) { Foundation.pow($0, p) }
    }

    public static func sqrt(_ x: Tensor) -> Tensor { map(x, SqrtFunctor()) }
    public static func exp(_ x: Tensor) -> Tensor { map(x) { Foundation.exp($0) } }
    public static func log(_ x: Tensor) -> Tensor { map(x) { Foundation.log($0) } }

    /// max(x, lo) elementwise (torch.clamp(min:)).
    public static func clamp(_ x: Tensor, min lo: Float) -> Tensor { map(x, ClampMinFunctor(lo: lo)) }
    public static func clamp(_ x: Tensor, max hi: Float) -> Tensor { map(x, ClampMaxFunctor(hi: hi)) }

    /// 1 where x > threshold else 0 (a mask for `select`).
    public static func greater(_ x: Tensor, than threshold: Float) -> Tensor { map(x, GreaterFunctor(threshold: threshold)) }

    /// mask ≠ 0 ? a : b elementwise (torch.where); all three of one shape.
    public static func select(mask: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard mask.shape == a.shape, a.shape == b.shape else {
            throw TensorError.shapeMismatch(op: "select", detail: "mask \(mask.shape), a \(a.shape), b \(b.shape)")
        }
        var y = Tensor(uninitializedShape: a.shape)
        mask.withUnsafePointer { m in
            a.withUnsafePointer { pa in
                b.withUnsafePointer { pb in
                    y.withUnsafeMutablePointer { d in
                        for i in 0..<a.count { d[i] = m[i] != 0 ? pa[i] : pb[i] }
                    }
                }
            }
        }
        return y
    }
}

/// A specializable elementwise function of one value.
protocol UnaryFunctor { func callAsFunction(_ x: Float) -> Float }
/// A specializable elementwise function of two values.
protocol BinaryFunctor { func callAsFunction(_ a: Float, _ b: Float) -> Float }

struct ClosureUnary: UnaryFunctor {
    let body: (Float) -> Float
    func callAsFunction(_ x: Float) -> Float { body(x) }
}
struct ClosureBinary: BinaryFunctor {
    let body: (Float, Float) -> Float
    func callAsFunction(_ a: Float, _ b: Float) -> Float { body(a, b) }
}
struct ReLUFunctor: UnaryFunctor { @inline(__always) func callAsFunction(_ x: Float) -> Float { x < 0 ? 0 : x } }
struct ReLUGradFunctor: BinaryFunctor {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : 0 }
}
struct LeakyFunctor: UnaryFunctor {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : x * slope }
}
struct LeakyGradFunctor: BinaryFunctor {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : g * slope }
}
struct TanhFunctor: UnaryFunctor { @inline(__always) func callAsFunction(_ x: Float) -> Float { fastTanh(x) } }
struct TanhGradFunctor: BinaryFunctor {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}
struct SigmoidFunctor: UnaryFunctor {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }
}
struct AffineFunctor: UnaryFunctor {
    let scale: Float, shift: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * scale + shift }
}
struct AddFunctor: BinaryFunctor { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct SubFunctor: BinaryFunctor { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct MulFunctor: BinaryFunctor { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct DivFunctor: BinaryFunctor { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
struct AbsFunctor: UnaryFunctor { @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) } }
struct SignFunctor: UnaryFunctor {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}
struct SquareFunctor: UnaryFunctor { @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x } }
struct CubeFunctor: UnaryFunctor { @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x * x } }
struct SqrtFunctor: UnaryFunctor { @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
struct ClampMinFunctor: UnaryFunctor {
    let lo: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x < lo ? lo : x }  // NaN passes through
}
struct ClampMaxFunctor: UnaryFunctor {
    let hi: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > hi ? hi : x }  // NaN passes through
}
struct GreaterFunctor: UnaryFunctor {
    let threshold: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > threshold ? 1 : 0 }
}
