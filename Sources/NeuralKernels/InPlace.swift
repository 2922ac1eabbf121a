/// In-place variants for inference paths: no new buffer when the tensor's storage is not shared
/// (large tiles then avoid fresh page faults per op).
extension Kernels {
    /// x ← instanceNorm(x) (optionally affine, optionally followed by ReLU).
    public static func instanceNormInPlace(_ x: inout Tensor, weight: Tensor? = nil, bias: Tensor? = nil,
                                           eps: Float = 1e-5, fusedReLU: Bool = false) throws {
        let (n, c, h, w) = try x.nchw("instanceNormInPlace")
        if let weight, weight.shape != [c] {
            throw TensorError.shapeMismatch(op: "instanceNormInPlace", detail: "weight \(weight.shape) for \(c) channels")
        }
        if let bias, bias.shape != [c] {
            throw TensorError.shapeMismatch(op: "instanceNormInPlace", detail: "bias \(bias.shape) for \(c) channels")
        }
        let size = h &* w
        weight.withUnsafePointer { weightPointer in
            bias.withUnsafePointer { biasPointer in
                x.withUnsafeMutablePointer { xp in
                    let base = UncheckedBox(xp)
                    let gp = weightPointer.map { UncheckedBox($0) }, bp = biasPointer.map { UncheckedBox($0) }
                    parallelChunks(n &* c, costPerItem: 4 &* size) { r in
                        for plane in r {
                            let p = base.value + plane &* size
                            let (mean, invStd) = planeStats(p, size, eps)
                            let scale = invStd * (gp?.value[plane % c] ?? 1)
                            let beta = bp?.value[plane % c] ?? 0
                            if fusedReLU {
                                for i in 0..<size { p[i] = max(0, (p[i] - mean) * scale + beta) }
                            } else {
                                for i in 0..<size { p[i] = (p[i] - mean) * scale + beta }
                            }
                        }
                    }
                }
            }
        }
    }

    /// a ← a + b (same shape).
    public static func addInPlace(_ a: inout Tensor, _ b: Tensor) throws {
        guard a.shape == b.shape else {
            throw TensorError.shapeMismatch(op: "addInPlace", detail: "\(a.shape) vs \(b.shape)")
        }
        let count = a.count
        b.withUnsafePointer { bp in
            a.withUnsafeMutablePointer { ap in
                let dst = UncheckedBox(ap), src = UncheckedBox(bp)
                parallelChunks(count) { r in
                    let d = dst.value, s = src.value
                    for i in r { d[i] += s[i] }
                }
            }
        }
    }

    /// x ← relu(x).
    public static func reluInPlace(_ x: inout Tensor) {
        let count = x.count
        x.withUnsafeMutablePointer { xp in
            let p = UncheckedBox(xp)
            parallelChunks(count) { r in
                let d = p.value
                for i in r { d[i] = d[i] > 0 ? d[i] : 0 }
            }
        }
    }
}
