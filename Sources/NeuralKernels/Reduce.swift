/// Vectorized reductions (float reductions do not auto-vectorize without reassociation, so SIMD lanes are explicit).

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Σ p[0..<n], accumulated in 4×8 lanes.
func simdSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var i = 0
    while i &+ 32 <= n {
        a0 += load8(p + i); a1 += load8(p + (i &+ 8)); a2 += load8(p + (i &+ 16)); a3 += load8(p + (i &+ 24))
        i &+= 32
    }
    while i &+ 8 <= n { a0 += load8(p + i); i &+= 8 }
    var s = ((a0 + a1) + (a2 + a3)).sum()
    while i < n { s += p[i]; i &+= 1 }
    return s
}

/// Σ (p[i] − c)² over n elements.
func simdSumSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, center c: Float) -> Float {
    let cv = SIMD8<Float>(repeating: c)
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
    var i = 0
    while i &+ 16 <= n {
        let d0 = load8(p + i) - cv, d1 = load8(p + (i &+ 8)) - cv
        a0 += d0 * d0; a1 += d1 * d1
        i &+= 16
    }
    while i &+ 8 <= n { let d = load8(p + i) - cv; a0 += d * d; i &+= 8 }
    var s = (a0 + a1).sum()
    while i < n { let d = p[i] - c; s += d * d; i &+= 1 }
    return s
}

/// Σ a[i]·b[i] over n elements.
func simdDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
    var i = 0
    while i &+ 16 <= n {
        a0 += load8(a + i) * load8(b + i); a1 += load8(a + (i &+ 8)) * load8(b + (i &+ 8))
        i &+= 16
    }
    while i &+ 8 <= n { a0 += load8(a + i) * load8(b + i); i &+= 8 }
    var s = (a0 + a1).sum()
    while i < n { s += a[i] * b[i]; i &+= 1 }
    return s
}

/// (Σ (p[i] − s), Σ (p[i] − s)²) in one pass; with s a sample of the data this gives a stable variance.
func simdShiftedSums(_ p: UnsafePointer<Float>, _ n: Int, shift s: Float) -> (Float, Float) {
    let sv = SIMD8<Float>(repeating: s)
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), q0 = SIMD8<Float>(), q1 = SIMD8<Float>()
    var i = 0
    while i &+ 16 <= n {
        let d0 = load8(p + i) - sv, d1 = load8(p + (i &+ 8)) - sv
        a0 += d0; a1 += d1; q0 += d0 * d0; q1 += d1 * d1
        i &+= 16
    }
    var sum = (a0 + a1).sum(), sq = (q0 + q1).sum()
    while i < n { let d = p[i] - s; sum += d; sq += d * d; i &+= 1 }
    return (sum, sq)
}
