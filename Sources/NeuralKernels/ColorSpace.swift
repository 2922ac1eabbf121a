/// Differentiable sRGB ↔ CIE LAB (D65) exactly as the colourizer wrapper of docs/paper.md ("Networks"), built from
/// elementwise primitives, plus a per-pixel channel-mixing op.

/// y[:, i] = Σ_j matrix[i][j]·x[:, j] + bias[i] (a 1×1 convolution with constant weights).
public func channelMix(_ x: Variable, matrix: [[Float]], bias: [Float]? = nil) throws -> Variable {
    let o = matrix.count, c = matrix.first?.count ?? 0
    guard o > 0, matrix.allSatisfy({ $0.count == c }), bias.map({ $0.count == o }) ?? true else {
        throw TensorError.invalidArgument(op: "channelMix", detail: "matrix must be rectangular, bias of its row count")
    }
    let w = Variable(try Tensor(shape: [o, c, 1, 1], scalars: matrix.flatMap { $0 }))
    let b = try bias.map { Variable(try Tensor(shape: [o], scalars: $0)) }
    return try conv2d(x, weight: w, bias: b)
}

/// Piecewise map: x > threshold ? high(x) : low(x), both branches differentiable, the switch constant.
private func piecewise(_ x: Variable, threshold: Float, high: (Variable) throws -> Variable,
                       low: (Variable) throws -> Variable) throws -> Variable {
    try select(mask: Kernels.greater(x.value, than: threshold), try high(x), try low(x))
}

/// sRGB in [0, 1] (N×3×H×W) → LAB (L in [0, 100], a, b unscaled).
public func rgbToLab(_ rgb: Variable) throws -> Variable {
    let linear = try piecewise(rgb, threshold: 0.04045,
                               high: { pow(affine(abs(affine($0, scale: 1, shift: 0.055)), scale: 1 / 1.055, shift: 1e-7), 2.4) },
                               low: { affine($0, scale: 1 / 12.92) })
    let white: [Float] = [0.95047, 1, 1.08883]
    let m: [[Float]] = [[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169],
                        [0.019334, 0.119193, 0.950227]]
    let xyz = try channelMix(linear, matrix: (0..<3).map { i in m[i].map { $0 / white[i] } })
    let f = try piecewise(xyz, threshold: 0.008856,
                          high: { pow(affine(abs($0), scale: 1, shift: 1e-7), 1 / 3) },
                          low: { affine($0, scale: 7.787, shift: 16 / 116) })
    return try channelMix(f, matrix: [[0, 116, 0], [500, -500, 0], [0, 200, -200]], bias: [-16, 0, 0])
}

/// LAB → sRGB in [0, ∞) (clamped at 0 before the gamma, no upper clamp, as the reference).
public func labToRgb(_ lab: Variable) throws -> Variable {
    let fxyz = try channelMix(lab, matrix: [[1 / 116, 1 / 500, 0], [1 / 116, 0, 0], [1 / 116, 0, -1 / 200]],
                              bias: [16 / 116, 16 / 116, 16 / 116])
    let fz = clamp(try sliceChannels(fxyz, 2..<3), min: 0)
    let f = try concatChannels([try sliceChannels(fxyz, 0..<2), fz])
    let t = try piecewise(f, threshold: 0.2068966,
                          high: { pow(affine(abs($0), scale: 1, shift: 1e-7), 3) },
                          low: { affine($0, scale: 1 / 7.787, shift: -16 / 116 / 7.787) })
    let white: [Float] = [0.95047, 1, 1.08883]
    let m: [[Float]] = [[3.24048134, -1.53715152, -0.49853633], [-0.96925495, 1.87599, 0.04155593],
                        [0.05564664, -0.20404134, 1.05731107]]
    let rgbLinear = clamp(try channelMix(t, matrix: m.map { row in (0..<3).map { row[$0] * white[$0] } }), min: 0)
    return try piecewise(rgbLinear, threshold: 0.0031308,
                         high: { affine(pow(affine(abs($0), scale: 1, shift: 1e-7), 1 / 2.4), scale: 1.055, shift: -0.055) },
                         low: { affine($0, scale: 12.92) })
}
