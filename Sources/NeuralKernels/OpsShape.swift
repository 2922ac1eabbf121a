/// Differentiable shape, sampling and reduction ops on Variables, and the losses.

/// Concatenation along channels (torch.cat(dim=1)).
public func concatChannels(_ xs: [Variable]) throws -> Variable {
    let y = try Kernels.concatChannels(xs.map(\.value))
    let counts = xs.map { $0.shape[1] }
    return record(y, xs) { g, needs in
        var out: [Tensor?] = [], start = 0
        for (k, c) in counts.enumerated() {
            out.append(needs[k] ? try Kernels.sliceChannels(g, start..<(start + c)) : nil)
            start += c
        }
        return out
    }
}

/// Channels `range` (x[:, range]).
public func sliceChannels(_ x: Variable, _ range: Range<Int>) throws -> Variable {
    let c = x.shape.count == 4 ? x.shape[1] : 0
    return record(try Kernels.sliceChannels(x.value, range), [x]) { g, _ in
        [try Kernels.sliceChannelsBackward(gradOutput: g, channels: c, range)]
    }
}

/// Axis permutation of a rank-4 variable.
public func permute(_ x: Variable, _ dims: [Int]) throws -> Variable {
    let inverse = Kernels.inversePermutation(dims)
    return record(try Kernels.permute(x.value, dims), [x]) { g, _ in [try Kernels.permute(g, inverse)] }
}

/// The same data with another shape of equal element count.
public func reshape(_ x: Variable, _ shape: [Int]) throws -> Variable {
    let original = x.shape
    return record(try x.value.reshaped(shape), [x]) { g, _ in [try g.reshaped(original)] }
}

/// Max pooling (floor mode); gradient to the first maximum of each window.
public func maxPool2d(_ x: Variable, kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Variable {
    let shape = x.shape
    let (y, idx) = try Kernels.maxPool2dWithIndices(x.value, kernel: kernel, stride: stride, padding: padding)
    return record(y, [x]) { g, _ in [try Kernels.maxPool2dBackward(gradOutput: g, indices: idx, inputShape: shape)] }
}

/// x[:, :, ::step, ::step].
public func subsample(_ x: Variable, step: Int = 2) throws -> Variable {
    let shape = x.shape
    return record(try Kernels.subsample(x.value, step: step), [x]) { g, _ in
        [try Kernels.subsampleBackward(gradOutput: g, inputShape: shape, step: step)]
    }
}

/// Bilinear resize to height×width.
public func resizeBilinear(_ x: Variable, height: Int, width: Int, alignCorners: Bool) throws -> Variable {
    let shape = x.shape
    let y = try Kernels.resizeBilinear(x.value, height: height, width: width, alignCorners: alignCorners)
    return record(y, [x]) { g, _ in
        [try Kernels.resizeBilinearBackward(gradOutput: g, inputShape: shape, alignCorners: alignCorners)]
    }
}

/// Bilinear grid sampling, border padding, align_corners = true; grid [N,Ho,Wo,2] in (x, y) order.
public func gridSample(_ x: Variable, grid: Variable) throws -> Variable {
    let xv = x.value, gv = grid.value
    return record(try Kernels.gridSample(xv, grid: gv), [x, grid]) { g, needs in
        let r = try Kernels.gridSampleBackward(gradOutput: g, input: xv, grid: gv, needInput: needs[0])
        return [r.input, needs[1] ? r.grid : nil]
    }
}

/// Σ of all elements (rank-0 result).
public func sum(_ x: Variable) -> Variable {
    let shape = x.shape
    return record(Kernels.sum(x.value), [x]) { g, _ in [Tensor(shape: shape, repeating: g.item)] }
}

/// Mean of all elements (rank-0 result).
public func mean(_ x: Variable) -> Variable {
    let shape = x.shape, n = Float(x.value.count)
    return record(Kernels.mean(x.value), [x]) { g, _ in [Tensor(shape: shape, repeating: g.item / n)] }
}

/// Mean over H, W → [N,C,1,1].
public func spatialMean(_ x: Variable) throws -> Variable {
    let shape = x.shape
    return record(try Kernels.spatialMean(x.value), [x]) { g, _ in
        let hw = Float(shape[2] * shape[3])
        return [try Kernels.mul(Tensor(shape: shape, repeating: 1 / hw), g)]
    }
}

/// Mean over channels → [N,1,H,W].
public func channelMean(_ x: Variable) throws -> Variable {
    let shape = x.shape
    return record(try Kernels.channelMean(x.value), [x]) { g, _ in
        [try Kernels.mul(Tensor(shape: shape, repeating: 1 / Float(shape[1])), g)]
    }
}

/// Mean |a − b|.
public func l1Loss(_ a: Variable, _ b: Variable) throws -> Variable {
    let av = a.value, bv = b.value
    return record(try Kernels.l1Loss(av, bv), [a, b]) { g, needs in
        let ga = try Kernels.l1LossBackward(av, bv, gradOutput: g.item)
        return [needs[0] ? ga : nil, needs[1] ? Kernels.affine(ga, scale: -1) : nil]
    }
}

/// Mean (a − b)².
public func mseLoss(_ a: Variable, _ b: Variable) throws -> Variable {
    let av = a.value, bv = b.value
    return record(try Kernels.mseLoss(av, bv), [a, b]) { g, needs in
        let ga = try Kernels.mseLossBackward(av, bv, gradOutput: g.item)
        return [needs[0] ? ga : nil, needs[1] ? Kernels.affine(ga, scale: -1) : nil]
    }
}

/// Registration smoothness: mean((∂x φ)²) + mean((∂y φ)²), forward differences.
public func flowSmoothness(_ flow: Variable) throws -> Variable {
    let fv = flow.value
    return record(try Kernels.flowSmoothness(fv), [flow]) { g, _ in
        [try Kernels.flowSmoothnessBackward(fv, gradOutput: g.item)]
    }
}
