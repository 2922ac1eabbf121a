/// Differentiable convolution and normalization ops on Variables.

/// 2-D convolution (OIHW weights, zero padding); see `Kernels.conv2d`.
/// `paddingMode: .reflect` = ReflectionPad2d(padding) then an unpadded conv (fused when nothing is recorded).
public func conv2d(_ x: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0,
                   dilation: Int = 1, paddingMode: PaddingMode = .zeros) throws -> Variable {
    if paddingMode == .reflect && padding > 0 {
        let recording = GradMode.enabled && (x.requiresGrad || weight.requiresGrad || (bias?.requiresGrad ?? false))
        if recording {
            return try conv2d(reflectPad(x, padding), weight: weight, bias: bias, stride: stride, dilation: dilation)
        }
        return Variable(try Kernels.conv2d(x.value, weight: weight.value, bias: bias?.value, stride: stride,
                                           padding: padding, dilation: dilation, paddingMode: .reflect))
    }
    let xv = x.value, wv = weight.value
    let y = try Kernels.conv2d(xv, weight: wv, bias: bias?.value, stride: stride, padding: padding, dilation: dilation)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return record(y, inputs) { g, needs in
        let grads = try Kernels.conv2dBackward(gradOutput: g, input: xv, weight: wv, hasBias: needs.count > 2 && needs[2],
                                               stride: stride, padding: padding, dilation: dilation,
                                               needInput: needs[0], needWeight: needs[1])
        return [grads.input, grads.weight, grads.bias]
    }
}

/// Transposed convolution (IOHW weights); see `Kernels.convTranspose2d`.
public func convTranspose2d(_ x: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1,
                            padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1) throws -> Variable {
    let xv = x.value, wv = weight.value
    let y = try Kernels.convTranspose2d(xv, weight: wv, bias: bias?.value, stride: stride, padding: padding,
                                        outputPadding: outputPadding, dilation: dilation)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return record(y, inputs) { g, needs in
        let grads = try Kernels.convTranspose2dBackward(
            gradOutput: g, input: xv, weight: wv, hasBias: needs.count > 2 && needs[2], stride: stride,
            padding: padding, outputPadding: outputPadding, dilation: dilation, needInput: needs[0],
            needWeight: needs[1])
        return [grads.input, grads.weight, grads.bias]
    }
}

/// Instance normalization (eps 1e-5, biased variance); affine when weight/bias are given.
public func instanceNorm(_ x: Variable, weight: Variable? = nil, bias: Variable? = nil,
                         eps: Float = 1e-5) throws -> Variable {
    let xv = x.value, wv = weight?.value
    let y = try Kernels.instanceNorm(xv, weight: wv, bias: bias?.value, eps: eps)
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    let hasBias = bias != nil
    return record(y, inputs) { g, _ in
        let r = try Kernels.instanceNormBackward(gradOutput: g, input: xv, weight: wv, hasBias: hasBias, eps: eps)
        var out: [Tensor?] = [r.input]
        if wv != nil { out.append(r.weight) }
        if hasBias { out.append(r.bias) }
        return out
    }
}

/// Reflection padding as a separate op (torch.nn.ReflectionPad2d).
public func reflectPad(_ x: Variable, left: Int, right: Int, top: Int, bottom: Int) throws -> Variable {
    let y = try Kernels.reflectPad(x.value, left: left, right: right, top: top, bottom: bottom)
    return record(y, [x]) { g, _ in
        [try Kernels.reflectPadBackward(gradOutput: g, left: left, right: right, top: top, bottom: bottom)]
    }
}

/// Reflection padding by `pad` on every side.
public func reflectPad(_ x: Variable, _ pad: Int) throws -> Variable {
    try reflectPad(x, left: pad, right: pad, top: pad, bottom: pad)
}
