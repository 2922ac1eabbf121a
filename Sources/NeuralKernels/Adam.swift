import Foundation

/// Adam exactly as PyTorch's single-tensor implementation (no weight decay, no amsgrad):
/// m ← lerp(m, g, 1−β1); v ← β2·v + (1−β2)·g²; p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps),
/// with a per-parameter step count t that only advances for parameters that have a gradient.
public final class Adam {
    public let parameters: [Variable]
    /// Learning rate; may be changed between steps (schedules).
    public var lr: Float
    /// Moment decay rates and the denominator epsilon (restored by `load(stateDict:)`, like PyTorch's param groups).
    public var beta1: Float, beta2: Float, eps: Float
    private var m: [Tensor?], v: [Tensor?]
    private var steps: [Int]

    public init(parameters: [Variable], lr: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8) {
        self.parameters = parameters
        self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
        m = Array(repeating: nil, count: parameters.count)
        v = Array(repeating: nil, count: parameters.count)
        steps = Array(repeating: 0, count: parameters.count)
    }

    /// Steps taken by parameter i.
    public func stepCount(_ i: Int) -> Int { steps[i] }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// One update of every parameter that has a gradient.
    public func step() throws {
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            guard g.shape == p.value.shape else {
                throw TensorError.shapeMismatch(op: "Adam.step", detail: "grad \(g.shape) for parameter \(p.shape)")
            }
            steps[i] += 1
            // Taken out of the arrays while updated, so the in-place writes below do not copy them (copy-on-write).
            var mi = m[i] ?? Tensor(zeros: g.shape), vi = v[i] ?? Tensor(zeros: g.shape)
            m[i] = nil; v[i] = nil
            let t = Double(steps[i])
            let bc1 = 1 - Foundation.pow(Double(beta1), t), bc2 = 1 - Foundation.pow(Double(beta2), t)
            let stepSize = Float(Double(lr) / bc1), bc2Sqrt = Float(bc2.squareRoot())
            let w1 = Float(1 - Double(beta1)), b2 = beta2, w2 = Float(1 - Double(beta2)), eps = self.eps
            let smallW1 = Swift.abs(w1) < 0.5
            g.withUnsafePointer { gp in
                mi.withUnsafeMutableBufferPointer { mb in
                    vi.withUnsafeMutableBufferPointer { vb in
                        p.value.withUnsafeMutableBufferPointer { pb in
                            guard let mp = mb.baseAddress, let vp = vb.baseAddress, let pp = pb.baseAddress else { return }
                            let out = UncheckedBox((mp, vp, pp))
                            // Elementwise, so splitting the range across threads gives the same values.
                            parallelChunks(pb.count, costPerItem: 8) { r in
                                let (mb, vb, pb) = out.value
                                for k in r {
                                    let gk = gp[k], mk = mb[k]
                                    let newM = smallW1 ? mk + w1 * (gk - mk) : gk - (gk - mk) * (1 - w1)
                                    let newV = vb[k] * b2 + w2 * gk * gk
                                    mb[k] = newM; vb[k] = newV
                                    let denom = newV.squareRoot() / bc2Sqrt + eps
                                    pb[k] = pb[k] + (-stepSize) * newM / denom
                                }
                            }
                        }
                    }
                }
            }
            m[i] = mi; v[i] = vi
        }
    }

    /// Optimizer state: for each parameter index i with state, "i.exp_avg", "i.exp_avg_sq", "i.step" (shape [1]);
    /// hyper-parameters in the metadata.
    public func stateDict() -> StateDict {
        var d = StateDict()
        for i in parameters.indices where steps[i] > 0 {
            d["\(i).exp_avg"] = m[i]
            d["\(i).exp_avg_sq"] = v[i]
            d["\(i).step"] = try? Tensor(shape: [1], scalars: [Float(steps[i])])
        }
        d.metadata = ["optimizer": "Adam", "lr": "\(lr)", "beta1": "\(beta1)", "beta2": "\(beta2)", "eps": "\(eps)",
                      "parameters": "\(parameters.count)"]
        return d
    }

    /// Restores state saved by `stateDict()` for the same parameter list (shapes are checked), and lr, betas, eps.
    public func load(stateDict d: StateDict) throws {
        if let n = d.metadata["parameters"], Int(n) != parameters.count {
            throw TensorError.invalidArgument(op: "Adam.load", detail: "state has \(n) parameters, optimizer has \(parameters.count)")
        }
        var newM = [Tensor?](repeating: nil, count: parameters.count), newV = newM
        var newSteps = [Int](repeating: 0, count: parameters.count)
        for (i, p) in parameters.enumerated() {
            guard let s = d["\(i).step"] else { continue }
            newM[i] = try d.tensor("\(i).exp_avg", shape: p.shape)
            newV[i] = try d.tensor("\(i).exp_avg_sq", shape: p.shape)
            guard s.count == 1, s.item >= 1, s.item == s.item.rounded() else {
                throw TensorError.invalidArgument(op: "Adam.load", detail: "bad step \(s.scalars) for parameter \(i)")
            }
            newSteps[i] = Int(s.item)
        }
        m = newM; v = newV; steps = newSteps
        if let s = d.metadata["lr"], let value = Float(s) { lr = value }
        if let s = d.metadata["beta1"], let value = Float(s) { beta1 = value }
        if let s = d.metadata["beta2"], let value = Float(s) { beta2 = value }
        if let s = d.metadata["eps"], let value = Float(s) { eps = value }
    }
}
