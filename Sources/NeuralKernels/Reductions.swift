/// Means and sums, and the three training losses (L1, MSE, flow smoothness), all with mean reduction.
extension Kernels {
    /// Σ of all elements, as a rank-0 tensor.
    public static func sum(_ x: Tensor) -> Tensor { Tensor(scalar: x.withUnsafePointer { simdSum($0, x.count) }) }

    /// Mean of all elements, as a rank-0 tensor.
    public static func mean(_ x: Tensor) -> Tensor {
        Tensor(scalar: x.count > 0 ? x.withUnsafePointer { simdSum($0, x.count) } / Float(x.count) : .nan)
    }

    /// Mean over H and W: [N,C,H,W] → [N,C,1,1].
    public static func spatialMean(_ x: Tensor) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("spatialMean")
        var y = Tensor(uninitializedShape: [n, c, 1, 1])
        let size = h &* w
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { d in
                for p in 0..<(n &* c) { d[p] = simdSum(xp + p &* size, size) / Float(size) }
            }
        }
        return y
    }

    /// Mean over channels: [N,C,H,W] → [N,1,H,W].
    public static func channelMean(_ x: Tensor) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("channelMean")
        let size = h &* w
        var y = Tensor(zeros: [n, 1, h, w])
        let scale = 1 / Float(c)
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { d in
                for b in 0..<n {
                    let dp = d + b &* size
                    for ch in 0..<c {
                        let sp = src + (b &* c &+ ch) &* size
                        for i in 0..<size { dp[i] += sp[i] }
                    }
                    for i in 0..<size { dp[i] *= scale }
                }
            }
        }
        return y
    }

    /// Mean |a − b| (torch.nn.L1Loss).
    public static func l1Loss(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try checkSame(a, b, "l1Loss")
        let s = a.withUnsafePointer { pa in
            b.withUnsafePointer { pb in
                var s: Double = 0
                for i in 0..<a.count { s += Double(Swift.abs(pa[i] - pb[i])) }
                return s
            }
        }
        return Tensor(scalar: Float(s / Double(a.count)))
    }

    /// ∂L1/∂a = sign(a − b)/count (∂/∂b is its negative).
    public static func l1LossBackward(_ a: Tensor, _ b: Tensor, gradOutput g: Float = 1) throws -> Tensor {
        try checkSame(a, b, "l1LossBackward")
        let k = g / Float(a.count)
        return zipMap(a, b) { x, y in x > y ? k : (x < y ? -k : 0) }
    }

    /// Mean (a − b)² (torch.nn.MSELoss).
    public static func mseLoss(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try checkSame(a, b, "mseLoss")
        let s = a.withUnsafePointer { pa in
            b.withUnsafePointer { pb in
                var s: Double = 0
                for i in 0..<a.count { let d = Double(pa[i] - pb[i]); s += d * d }
                return s
            }
        }
        return Tensor(scalar: Float(s / Double(a.count)))
    }

    /// ∂MSE/∂a = 2(a − b)/count.
    public static func mseLossBackward(_ a: Tensor, _ b: Tensor, gradOutput g: Float = 1) throws -> Tensor {
        try checkSame(a, b, "mseLossBackward")
        let k = 2 * g / Float(a.count)
        return zipMap(a, b) { x, y in k * (x - y) }
    }

    /// The registration smoothness loss of the paper code: mean((∂x φ)²) + mean((∂y φ)²) with forward differences,
    /// each mean over its own element count (docs/paper.md ("Training, paired but misaligned")). φ is [N,C,H,W] with H, W ≥ 2.
    public static func flowSmoothness(_ flow: Tensor) throws -> Tensor {
        let (n, c, h, w) = try flow.nchw("flowSmoothness")
        guard h >= 2, w >= 2 else {
            throw TensorError.shapeMismatch(op: "flowSmoothness", detail: "needs H, W ≥ 2, got \(flow.shape)")
        }
        let (sx, sy) = flow.withUnsafePointer { p in
            var sx: Double = 0, sy: Double = 0
            for plane in 0..<(n &* c) {
                let q = p + plane &* h &* w
                for y in 0..<h {
                    for x in 0..<w {
                        let v = q[y &* w &+ x]
                        if x &+ 1 < w { let d = Double(q[y &* w &+ x &+ 1] - v); sx += d * d }
                        if y &+ 1 < h { let d = Double(q[(y &+ 1) &* w &+ x] - v); sy += d * d }
                    }
                }
            }
            return (sx, sy)
        }
        let nx = Double(n * c * h * (w - 1)), ny = Double(n * c * (h - 1) * w)
        return Tensor(scalar: Float(sx / nx + sy / ny))
    }

    public static func flowSmoothnessBackward(_ flow: Tensor, gradOutput g: Float = 1) throws -> Tensor {
        let (n, c, h, w) = try flow.nchw("flowSmoothnessBackward")
        guard h >= 2, w >= 2 else {
            throw TensorError.shapeMismatch(op: "flowSmoothness", detail: "needs H, W ≥ 2, got \(flow.shape)")
        }
        let kx = 2 * g / Float(n * c * h * (w - 1)), ky = 2 * g / Float(n * c * (h - 1) * w)
        var dx = Tensor(zeros: flow.shape)
        flow.withUnsafePointer { p in
            dx.withUnsafeMutablePointer { d in
                for plane in 0..<(n &* c) {
                    let q = p + plane &* h &* w, r = d + plane &* h &* w
                    for y in 0..<h {
                        for x in 0..<w {
                            let i = y &* w &+ x
                            if x &+ 1 < w { let diff = kx * (q[i &+ 1] - q[i]); r[i &+ 1] += diff; r[i] -= diff }
                            if y &+ 1 < h { let diff = ky * (q[i &+ w] - q[i]); r[i &+ w] += diff; r[i] -= diff }
                        }
                    }
                }
            }
        }
        return dx
    }

    static func checkSame(_ a: Tensor, _ b: Tensor, _ op: String) throws {
        guard a.shape == b.shape, a.count > 0 else {
            throw TensorError.shapeMismatch(op: op, detail: "\(a.shape) vs \(b.shape)")
        }
    }
}
