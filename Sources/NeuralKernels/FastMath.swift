/// Branch-free exp and tanh made only of arithmetic and bit operations, so loops over them vectorize
/// (libm calls do not). Cephes single-precision polynomials; error within a few ulp.

/// e^x for x clamped to [−87.3, 88.7] (saturating instead of overflowing).
@inline(__always)
func fastExp(_ x: Float) -> Float {
    let xc = min(max(x, -87.3), 88.7)
    let magic: Float = 12_582_912  // 1.5·2²³: adding it rounds to an integer held in the low mantissa bits
    let t = xc * 1.442_695_04 + magic
    let n = t - magic
    let r = (xc - n * 0.693_359_375) - n * -2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * (r * r) + r + 1
    let bits = (t.bitPattern &- magic.bitPattern) &+ 127
    return p * Float(bitPattern: bits << 23)
}

/// tanh(x): odd polynomial for |x| < 0.625, else sign(x)·(1 − 2/(e^{2|x|} + 1)).
@inline(__always)
func fastTanh(_ x: Float) -> Float {
    let a = Swift.abs(x)
    let z = x * x
    var s: Float = -5.704_988_727_45e-3
    s = s * z + 2.063_908_879_54e-2
    s = s * z - 5.373_971_555_31e-2
    s = s * z + 1.333_144_220_36e-1
    s = s * z - 3.333_328_194_22e-1
    let small = s * z * x + x
    let e = fastExp(2 * a)
    let large = 1 - 2 / (e + 1)
    let signed = x < 0 ? -large : large
    return a < 0.625 ? small : signed
}
