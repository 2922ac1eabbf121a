import Foundation

extension Kernels {
    /// Instance normalization like `torch.nn.functional.instance_norm` (no running stats): each (n, c) plane is
    /// normalized by its mean and biased variance, then scaled/shifted by `weight`/`bias` [C] when given.
    /// `fusedReLU` applies max(0, ·) in the same pass (inference convenience).
    public static func instanceNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5,
                                    fusedReLU: Bool = false) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("instanceNorm")
        try checkAffine(weight, bias, c)
        let size = h &* w
        var y = Tensor(uninitializedShape: x.shape)
        x.withUnsafePointer { xp in
            weight.withUnsafePointer { gp in
                bias.withUnsafePointer { bp in
                    y.withUnsafeMutablePointer { yb in
                        let yp = UncheckedBox(yb)
                        parallelChunks(n &* c, costPerItem: 4 &* size) { r in
                            for plane in r {
                                let ch = plane % c
                                let src = xp + plane &* size, dst = yp.value + plane &* size
                                let (mean, invStd) = planeStats(src, size, eps)
                                let scale = invStd * (gp?[ch] ?? 1)
                                let beta = bp?[ch] ?? 0
                                if fusedReLU {
                                    for i in 0..<size { dst[i] = max(0, (src[i] - mean) * scale + beta) }
                                } else {
                                    for i in 0..<size { dst[i] = (src[i] - mean) * scale + beta }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Gradients of `instanceNorm` w.r.t. input, weight and bias (weight/bias only when given).
    /// With `reluOutput` (the output of the fused `instanceNorm(…, fusedReLU: true)`), `gradOutput` is first masked
    /// by ReLU's derivative (zero where that output is ≤ 0), in the same pass: the gradient of IN + ReLU.
    public static func instanceNormBackward(gradOutput dy: Tensor, input x: Tensor, weight: Tensor? = nil,
                                            hasBias: Bool = false, eps: Float = 1e-5, reluOutput: Tensor? = nil)
        throws -> (input: Tensor, weight: Tensor?, bias: Tensor?) {
        let (n, c, h, w) = try x.nchw("instanceNormBackward")
        try checkAffine(weight, nil, c)
        guard dy.shape == x.shape else {
            throw TensorError.shapeMismatch(op: "instanceNormBackward", detail: "gradOutput \(dy.shape) vs \(x.shape)")
        }
        if let reluOutput, reluOutput.shape != x.shape {
            throw TensorError.shapeMismatch(op: "instanceNormBackward",
                                            detail: "reluOutput \(reluOutput.shape) vs \(x.shape)")
        }
        let size = h &* w, m = Float(size)
        var dx = Tensor(uninitializedShape: x.shape)
        // Per (n, c) plane: Σ dy·x̂ and Σ dy, summed over the batch below for the weight and bias gradients.
        var dgPlanes = Tensor(zeros: [n &* c]), dbPlanes = Tensor(zeros: [n &* c])
        x.withUnsafePointer { xp in
          reluOutput.withUnsafePointer { maskp in
            dy.withUnsafePointer { dyp in
                weight.withUnsafePointer { gp in
                    dx.withUnsafeMutablePointer { dxp in
                        dgPlanes.withUnsafeMutablePointer { dgp in
                            dbPlanes.withUnsafeMutablePointer { dbp in
                                let out = UncheckedBox((dxp, dgp, dbp))
                                parallelChunks(n &* c, costPerItem: 6 &* size) { r in
                                    for plane in r {
                                        let src = xp + plane &* size
                                        let dst = out.value.0 + plane &* size
                                        var g = dyp + plane &* size
                                        if let maskp {
                                            // dst holds the masked gradient until it is overwritten below.
                                            maskedCopy(g, mask: maskp + plane &* size, to: dst, size)
                                            g = UnsafePointer(dst)
                                        }
                                        let (mean, invStd) = planeStats(src, size, eps)
                                        let sumDy = simdSum(g, size)
                                        let sumDyX = simdDot(g, src, size)
                                        // Σ dy·x̂ = invStd·(Σ dy·x − mean·Σ dy)
                                        let sumDyXhat = invStd * (sumDyX - mean * sumDy)
                                        out.value.1[plane] = sumDyXhat
                                        out.value.2[plane] = sumDy
                                        let gamma = gp?[plane % c] ?? 1
                                        let k = gamma * invStd / m
                                        let a = sumDy, b = sumDyXhat
                                        normBackwardPlane(src, g, dst, size, mean: mean, invStd: invStd, k: k, m: m,
                                                          a: a, b: b)
                                    }
                                }
                            }
                        }
                    }
                }
            }
          }
        }
        var dWeight: Tensor? = nil, dBias: Tensor? = nil
        if weight != nil { dWeight = try Tensor(shape: [c], scalars: sumOverBatch(dgPlanes.scalars, n, c)) }
        if hasBias { dBias = try Tensor(shape: [c], scalars: sumOverBatch(dbPlanes.scalars, n, c)) }
        return (dx, dWeight, dBias)
    }

    private static func sumOverBatch(_ v: [Float], _ n: Int, _ c: Int) -> [Float] {
        var out = [Float](repeating: 0, count: c)
        for i in 0..<n { for ch in 0..<c { out[ch] += v[i * c + ch] } }
        return out
    }

    private static func checkAffine(_ weight: Tensor?, _ bias: Tensor?, _ c: Int) throws {
        if let weight, weight.shape != [c] {
            throw TensorError.shapeMismatch(op: "instanceNorm", detail: "weight \(weight.shape) for \(c) channels")
        }
        if let bias, bias.shape != [c] {
            throw TensorError.shapeMismatch(op: "instanceNorm", detail: "bias \(bias.shape) for \(c) channels")
        }
    }
}

/// Mean and 1/√(biased variance + eps) of one plane: one pass of sums shifted by the plane's first value
/// (stable unless a plane's spread is tiny next to its offset), refined by a second pass in that case.
@inline(__always)
func planeStats(_ p: UnsafePointer<Float>, _ n: Int, _ eps: Float) -> (Float, Float) {
    let shift = p[0]
    let (s, q) = simdShiftedSums(p, n, shift: shift)
    let fn = Float(n)
    let meanOffset = s / fn
    var variance = max(0, q / fn - meanOffset * meanOffset)
    let mean = shift + meanOffset
    if variance < 0.1 * meanOffset * meanOffset {
        variance = simdSumSquaredDeviation(p, n, center: mean) / fn
    }
    return (mean, 1 / (variance + eps).squareRoot())
}

/// dst[i] = mask[i] > 0 ? g[i] : 0 (dst may not overlap g or mask).
@inline(__always)
private func maskedCopy(_ g: UnsafePointer<Float>, mask: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>,
                        _ n: Int) {
    var i = 0
    while i &+ 8 <= n {
        let keep = load8(mask + i) .> 0
        let v = SIMD8<Float>(repeating: 0).replacing(with: load8(g + i), where: keep)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < n { dst[i] = mask[i] > 0 ? g[i] : 0; i &+= 1 }
}

/// dst[i] = k·(m·g[i] − a − x̂·b) with x̂ = (x[i] − mean)·invStd: the last pass of the instance-norm backward,
/// 8 lanes at a time (the same operations per element as the scalar tail). g may be dst itself.
@inline(__always)
private func normBackwardPlane(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                               _ n: Int, mean: Float, invStd: Float, k: Float, m: Float, a: Float, b: Float) {
    let meanV = SIMD8<Float>(repeating: mean), invV = SIMD8<Float>(repeating: invStd)
    let kV = SIMD8<Float>(repeating: k), mV = SIMD8<Float>(repeating: m)
    let aV = SIMD8<Float>(repeating: a), bV = SIMD8<Float>(repeating: b)
    var i = 0
    while i &+ 8 <= n {
        let xhat = (load8(x + i) - meanV) * invV
        let v = kV * (mV * load8(g + i) - aV - xhat * bV)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < n {
        let xhat = (x[i] - mean) * invStd
        dst[i] = k * (m * g[i] - a - xhat * b)
        i &+= 1
    }
}
