/// Differentiable elementwise ops on Variables.

public func relu(_ x: Variable) -> Variable {
    let xv = x.value
    return record(Kernels.relu(xv), [x]) { g, _ in [Kernels.reluBackward(gradOutput: g, input: xv)] }
}

public func leakyRelu(_ x: Variable, slope: Float = 0.01) -> Variable {
    let xv = x.value
    return record(Kernels.leakyRelu(xv, slope: slope), [x]) { g, _ in
        [Kernels.leakyReluBackward(gradOutput: g, input: xv, slope: slope)]
    }
}

public func tanh(_ x: Variable) -> Variable {
    let y = Kernels.tanh(x.value)
    return record(y, [x]) { g, _ in [Kernels.tanhBackward(gradOutput: g, output: y)] }
}

public func sigmoid(_ x: Variable) -> Variable {
    let y = Kernels.sigmoid(x.value)
    return record(y, [x]) { g, _ in [Kernels.sigmoidBackward(gradOutput: g, output: y)] }
}

/// x·scale + shift with constants.
public func affine(_ x: Variable, scale: Float, shift: Float = 0) -> Variable {
    record(Kernels.affine(x.value, scale: scale, shift: shift), [x]) { g, _ in [Kernels.affine(g, scale: scale)] }
}

/// x·c.
public func scale(_ x: Variable, by c: Float) -> Variable { affine(x, scale: c) }

/// |x| (gradient sign(x), 0 at 0).
public func abs(_ x: Variable) -> Variable {
    let xv = x.value
    return record(Kernels.abs(xv), [x]) { g, _ in [try Kernels.mul(g, Kernels.sign(xv))] }
}

/// x^p elementwise (gradient p·x^(p−1)).
public func pow(_ x: Variable, _ p: Float) -> Variable {
    let xv = x.value
    return record(Kernels.pow(xv, p), [x]) { g, _ in
        [try Kernels.mul(g, Kernels.affine(Kernels.pow(xv, p - 1), scale: p))]
    }
}

public func sqrt(_ x: Variable) -> Variable {
    let y = Kernels.sqrt(x.value)
    return record(y, [x]) { g, _ in [Kernels.zipMap(g, y) { a, s in a / (2 * s) }] }
}

public func exp(_ x: Variable) -> Variable {
    let y = Kernels.exp(x.value)
    return record(y, [x]) { g, _ in [try Kernels.mul(g, y)] }
}

public func log(_ x: Variable) -> Variable {
    let xv = x.value
    return record(Kernels.log(xv), [x]) { g, _ in [try Kernels.div(g, xv)] }
}

/// max(x, lo); the gradient passes where x ≥ lo (as torch.clamp).
public func clamp(_ x: Variable, min lo: Float) -> Variable {
    let xv = x.value
    return record(Kernels.clamp(xv, min: lo), [x]) { g, _ in [Kernels.zipMap(g, xv) { a, v in v >= lo ? a : 0 }] }
}

/// min(x, hi); the gradient passes where x ≤ hi.
public func clamp(_ x: Variable, max hi: Float) -> Variable {
    let xv = x.value
    return record(Kernels.clamp(xv, max: hi), [x]) { g, _ in [Kernels.zipMap(g, xv) { a, v in v <= hi ? a : 0 }] }
}

/// mask ≠ 0 ? a : b (torch.where); the mask is a constant.
public func select(mask: Tensor, _ a: Variable, _ b: Variable) throws -> Variable {
    let y = try Kernels.select(mask: mask, a.value, b.value)
    return record(y, [a, b]) { g, needs in
        let zero = Tensor(zeros: g.shape)
        return [needs[0] ? try Kernels.select(mask: mask, g, zero) : nil,
                needs[1] ? try Kernels.select(mask: mask, zero, g) : nil]
    }
}

/// a + b with broadcasting (dims equal or 1, same rank).
public func add(_ a: Variable, _ b: Variable) throws -> Variable {
    let sa = a.shape, sb = b.shape
    return record(try Kernels.add(a.value, b.value), [a, b]) { g, needs in
        [needs[0] ? try Kernels.sumToShape(g, sa) : nil, needs[1] ? try Kernels.sumToShape(g, sb) : nil]
    }
}

/// a − b with broadcasting.
public func sub(_ a: Variable, _ b: Variable) throws -> Variable {
    let sa = a.shape, sb = b.shape
    return record(try Kernels.sub(a.value, b.value), [a, b]) { g, needs in
        [needs[0] ? try Kernels.sumToShape(g, sa) : nil,
         needs[1] ? try Kernels.sumToShape(Kernels.affine(g, scale: -1), sb) : nil]
    }
}

/// a · b elementwise with broadcasting.
public func mul(_ a: Variable, _ b: Variable) throws -> Variable {
    let av = a.value, bv = b.value
    return record(try Kernels.mul(av, bv), [a, b]) { g, needs in
        [needs[0] ? try Kernels.sumToShape(Kernels.mul(g, bv), av.shape) : nil,
         needs[1] ? try Kernels.sumToShape(Kernels.mul(g, av), bv.shape) : nil]
    }
}

/// a / b elementwise with broadcasting.
public func div(_ a: Variable, _ b: Variable) throws -> Variable {
    let av = a.value, bv = b.value
    let y = try Kernels.div(av, bv)
    return record(y, [a, b]) { g, needs in
        let ga = try Kernels.div(g, bv)
        return [needs[0] ? try Kernels.sumToShape(ga, av.shape) : nil,
                needs[1] ? try Kernels.sumToShape(Kernels.affine(Kernels.mul(ga, y), scale: -1), bv.shape) : nil]
    }
}
