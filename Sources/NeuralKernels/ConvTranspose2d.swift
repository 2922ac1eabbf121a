extension Kernels {
    /// Transposed convolution like `torch.nn.functional.conv_transpose2d`: x [N,Cin,H,W], weight [Cin,Cout,kh,kw]
    /// (IOHW), bias [Cout]. Output side (H−1)·s − 2p + d(k−1) + outputPadding + 1.
    public static func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
                                       padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1) throws -> Tensor {
        let (g, n, cin, cout) = try convTransposeGeometry(x, weight, bias, stride, padding, outputPadding, dilation)
        var y = Tensor(uninitializedShape: [n, cout, g.h, g.w])
        let inSize = cin &* g.oh &* g.ow, outSize = cout &* g.h &* g.w
        x.withUnsafePointer { xp in
            weight.withUnsafePointer { wp in
                bias.withUnsafePointer { bp in
                    y.withUnsafeMutablePointer { yb in
                        for i in 0..<n {
                            let yp = yb + i &* outSize
                            convBackwardData(g, outChannels: cin, dy: xp + i &* inSize, w: wp, dx: yp)
                            addBias(yp, bp, planes: cout, size: g.h &* g.w)
                        }
                    }
                }
            }
        }
        return y
    }

    /// Gradients of `convTranspose2d` given `gradOutput` [N,Cout,H',W'].
    public static func convTranspose2dBackward(gradOutput: Tensor, input x: Tensor, weight: Tensor, hasBias: Bool,
                                               stride: Int = 1, padding: Int = 0, outputPadding: Int = 0,
                                               dilation: Int = 1, needInput: Bool = true,
                                               needWeight: Bool = true) throws -> ConvGradients {
        let (g, n, cin, cout) = try convTransposeGeometry(x, weight, nil, stride, padding, outputPadding, dilation)
        guard gradOutput.shape == [n, cout, g.h, g.w] else {
            throw TensorError.shapeMismatch(op: "convTranspose2dBackward",
                                            detail: "gradOutput \(gradOutput.shape), expected \([n, cout, g.h, g.w])")
        }
        let inSize = cin &* g.oh &* g.ow, outSize = cout &* g.h &* g.w
        var grads = ConvGradients()
        if needInput {
            var dx = Tensor(uninitializedShape: x.shape)
            gradOutput.withUnsafePointer { dyp in
                weight.withUnsafePointer { wp in
                    dx.withUnsafeMutablePointer { d in
                        for i in 0..<n {
                            convForwardGEMM(g, outChannels: cin, x: dyp + i &* outSize, w: wp, bias: nil,
                                            y: d + i &* inSize)
                        }
                    }
                }
            }
            grads.input = dx
        }
        if needWeight {
            var dw = Tensor(zeros: weight.shape)
            gradOutput.withUnsafePointer { dyp in
                x.withUnsafePointer { xp in
                    dw.withUnsafeMutablePointer { d in
                        for i in 0..<n {
                            convBackwardWeight(g, outChannels: cin, x: dyp + i &* outSize, dy: xp + i &* inSize, dw: d)
                        }
                    }
                }
            }
            grads.weight = dw
        }
        if hasBias { grads.bias = biasGradient(gradOutput) }
        return grads
    }

    /// The geometry of the convolution whose data-gradient this transposed convolution is
    /// (input side = the transposed conv's output), plus N, Cin, Cout.
    private static func convTransposeGeometry(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ s: Int, _ p: Int,
                                              _ op: Int, _ d: Int) throws -> (ConvGeometry, Int, Int, Int) {
        let (n, cin, h, w) = try x.nchw("convTranspose2d")
        guard weight.rank == 4, weight.shape[0] == cin else {
            throw TensorError.shapeMismatch(op: "convTranspose2d",
                                            detail: "weight \(weight.shape) (IOHW) for input \(x.shape)")
        }
        let cout = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3]
        if let bias, bias.shape != [cout] {
            throw TensorError.shapeMismatch(op: "convTranspose2d", detail: "bias \(bias.shape) for \(cout) outputs")
        }
        guard s > 0, d > 0, p >= 0, op >= 0, op < max(s, d) else {
            throw TensorError.invalidArgument(op: "convTranspose2d",
                detail: "stride \(s), padding \(p), outputPadding \(op), dilation \(d): need outputPadding < stride or dilation")
        }
        let oh = (h - 1) * s - 2 * p + d * (kh - 1) + op + 1
        let ow = (w - 1) * s - 2 * p + d * (kw - 1) + op + 1
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch(op: "convTranspose2d", detail: "empty output \(oh)×\(ow) for input \(h)×\(w)")
        }
        let g = try ConvGeometry(op: "convTranspose2d", c: cout, h: oh, w: ow, kh: kh, kw: kw, stride: (s, s),
                                 padding: (p, p), dilation: (d, d))
        guard g.oh == h, g.ow == w else {
            throw TensorError.invalidArgument(op: "convTranspose2d", detail: "inconsistent geometry for input \(h)×\(w)")
        }
        return (g, n, cin, cout)
    }
}
