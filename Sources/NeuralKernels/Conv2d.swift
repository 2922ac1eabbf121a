/// Namespace of the tensor kernels: forward and backward functions on plain `Tensor`s (no autograd).
/// The autograd versions taking `Variable`s are free functions with the same names (see Ops*.swift).
public enum Kernels {}

/// Which engine a convolution uses. `.auto` picks the fastest; the others force one (for tests and benchmarks).
public enum ConvAlgorithm: Sendable, Equatable {
    case auto
    /// im2col + sgemm, unfolded in row chunks: the reference path, any geometry.
    case im2col
    /// One GEMM over taps then shifted sums: stride 1 only, for few output channels.
    case thin
    /// Winograd F(4×4, 3×3): 3×3, stride 1, dilation 1 only.
    case winograd
}

/// How a convolution pads its input.
public enum PaddingMode: Sendable, Equatable {
    /// Zeros (torch Conv2d's own padding).
    case zeros
    /// Reflection without repeating the edge (ReflectionPad2d then an unpadded conv), fused into the conv.
    case reflect
}

/// Gradients of a convolution (nil where not requested).
public struct ConvGradients: Sendable {
    public var input: Tensor?
    public var weight: Tensor?
    public var bias: Tensor?
}

extension Kernels {
    /// 2-D convolution (cross-correlation) like `torch.nn.functional.conv2d`: x [N,C,H,W], weight [O,C,kh,kw] (OIHW),
    /// bias [O], zero padding. Output [N,O,H',W'].
    /// With `paddingMode: .reflect` the input is reflection-padded by `padding` (each pad < the side it pads);
    /// the Winograd engine reads the reflection directly, the others pad a copy first.
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                              dilation: Int = 1, algorithm: ConvAlgorithm = .auto,
                              paddingMode: PaddingMode = .zeros) throws -> Tensor {
        var (g, n, o) = try conv2dGeometry(x, weight, bias, stride, padding, dilation)
        let algo = try chooseConvAlgorithm(g, outChannels: o, requested: algorithm)
        if paddingMode == .reflect && padding > 0 {
            guard padding < g.h, padding < g.w else {
                throw TensorError.invalidArgument(op: "conv2d",
                                                  detail: "reflect padding \(padding) needs an input larger than \(g.h)×\(g.w)")
            }
            if algo != .winograd {
                return try conv2d(reflectPad(x, padding), weight: weight, bias: bias, stride: stride, padding: 0,
                                  dilation: dilation, algorithm: algorithm)
            }
            g.reflect = true
        }
        var y = Tensor(uninitializedShape: [n, o, g.oh, g.ow])
        let inSize = g.c &* g.h &* g.w, outSize = o &* g.oh &* g.ow
        x.withUnsafePointer { xp in
            weight.withUnsafePointer { wp in
                bias.withUnsafePointer { b in
                    y.withUnsafeMutablePointer { yp in
                        switch algo {
                        case .thin:
                            let tw = thinWeights(weight, o: o, c: g.c, kk: g.kh &* g.kw)
                            tw.withUnsafePointer { twp in
                                for i in 0..<n {
                                    convForwardThin(g, outChannels: o, x: xp + i &* inSize, wPermuted: twp, bias: b,
                                                    y: yp + i &* outSize)
                                }
                            }
                        case .winograd:
                            let u = winogradWeights(weight, o: o, c: g.c)
                            u.withUnsafePointer { up in
                                for i in 0..<n {
                                    if g.dh == 1 {
                                        winogradForward(g, outChannels: o, x: xp + i &* inSize, u: up, bias: b,
                                                        y: yp + i &* outSize)
                                    } else {
                                        dilatedWinogradForward(g, outChannels: o, x: xp + i &* inSize, u: up, bias: b,
                                                               y: yp + i &* outSize)
                                    }
                                }
                            }
                        case .im2col, .auto:
                            for i in 0..<n {
                                convForwardGEMM(g, outChannels: o, x: xp + i &* inSize, w: wp, bias: b,
                                                y: yp + i &* outSize)
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Gradients of `conv2d` given the output gradient `gradOutput` [N,O,H',W'].
    public static func conv2dBackward(gradOutput: Tensor, input x: Tensor, weight: Tensor, hasBias: Bool,
                                      stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                                      needInput: Bool = true, needWeight: Bool = true) throws -> ConvGradients {
        let (g, n, o) = try conv2dGeometry(x, weight, nil, stride, padding, dilation)
        guard gradOutput.shape == [n, o, g.oh, g.ow] else {
            throw TensorError.shapeMismatch(op: "conv2dBackward",
                                            detail: "gradOutput \(gradOutput.shape), expected \([n, o, g.oh, g.ow])")
        }
        let inSize = g.c &* g.h &* g.w, outSize = o &* g.oh &* g.ow
        var grads = ConvGradients()
        if thinBackwardApplies(g, outChannels: o) && (needInput || needWeight) {
            // Few output channels: unfold dy instead of the wide input (convBackwardThin), both gradients at once.
            var dx = needInput ? Tensor(uninitializedShape: x.shape) : nil
            var dw = needWeight ? Tensor(zeros: weight.shape) : nil
            let tw = thinWeights(weight, o: o, c: g.c, kk: g.kh &* g.kw)
            x.withUnsafePointer { xp in
                gradOutput.withUnsafePointer { dyp in
                    tw.withUnsafePointer { twp in
                        dx.withUnsafeMutablePointer { dxp in
                            dw.withUnsafeMutablePointer { dwp in
                                for i in 0..<n {
                                    convBackwardThin(g, outChannels: o, x: xp + i &* inSize, dy: dyp + i &* outSize,
                                                     wPermuted: twp, dx: dxp.map { $0 + i &* inSize }, dw: dwp)
                                }
                            }
                        }
                    }
                }
            }
            grads.input = dx
            grads.weight = dw
            if hasBias { grads.bias = biasGradient(gradOutput) }
            return grads
        }
        if needInput {
            if winogradBackwardApplies(g, outChannels: o) {
                // dx = conv(dy, flipped and transposed weights, padding 2 − p): a 3×3 stride-1 conv again.
                let flipped = flippedTransposedWeights(weight, o: o, c: g.c)
                grads.input = try conv2d(gradOutput, weight: flipped, padding: 2 - g.ph, algorithm: .winograd)
            } else {
                var dx = Tensor(uninitializedShape: x.shape)
                gradOutput.withUnsafePointer { dyp in
                    weight.withUnsafePointer { wp in
                        dx.withUnsafeMutablePointer { d in
                            for i in 0..<n {
                                convBackwardData(g, outChannels: o, dy: dyp + i &* outSize, w: wp, dx: d + i &* inSize)
                            }
                        }
                    }
                }
                grads.input = dx
            }
        }
        if needWeight {
            var dw = Tensor(zeros: weight.shape)
            let winograd = winogradBackwardApplies(g, outChannels: o)
            x.withUnsafePointer { xp in
                gradOutput.withUnsafePointer { dyp in
                    dw.withUnsafeMutablePointer { d in
                        for i in 0..<n {
                            if winograd {
                                winogradBackwardWeight(g, outChannels: o, x: xp + i &* inSize, dy: dyp + i &* outSize,
                                                       dw: d)
                            } else {
                                convBackwardWeight(g, outChannels: o, x: xp + i &* inSize, dy: dyp + i &* outSize, dw: d)
                            }
                        }
                    }
                }
            }
            grads.weight = dw
        }
        if hasBias { grads.bias = biasGradient(gradOutput) }
        return grads
    }

    /// Σ over batch and space of an NCHW gradient: the gradient of a per-channel bias, shape [C].
    static func biasGradient(_ dy: Tensor) -> Tensor {
        let (n, c, h, w) = (dy.shape[0], dy.shape[1], dy.shape[2], dy.shape[3])
        var db = Tensor(zeros: [c])
        dy.withUnsafePointer { dyp in
            db.withUnsafeMutablePointer { d in
                for i in 0..<n { accumulateBiasGrad(dyp + i &* c &* h &* w, planes: c, size: h &* w, d) }
            }
        }
        return db
    }

    private static func conv2dGeometry(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ stride: Int, _ padding: Int,
                                       _ dilation: Int) throws -> (ConvGeometry, Int, Int) {
        let (n, c, h, w) = try x.nchw("conv2d")
        guard weight.rank == 4, weight.shape[1] == c else {
            throw TensorError.shapeMismatch(op: "conv2d", detail: "weight \(weight.shape) (OIHW) for input \(x.shape)")
        }
        let o = weight.shape[0]
        if let bias, bias.shape != [o] {
            throw TensorError.shapeMismatch(op: "conv2d", detail: "bias \(bias.shape) for \(o) output channels")
        }
        let g = try ConvGeometry(op: "conv2d", c: c, h: h, w: w, kh: weight.shape[2], kw: weight.shape[3],
                                 stride: (stride, stride), padding: (padding, padding),
                                 dilation: (dilation, dilation))
        return (g, n, o)
    }

    static func chooseConvAlgorithm(_ g: ConvGeometry, outChannels o: Int,
                                    requested: ConvAlgorithm) throws -> ConvAlgorithm {
        let stride1 = g.sh == 1 && g.sw == 1
        // Dilated 3×3 convs run as Winograd on the dilation's polyphase sub-images when the padding allows.
        let winogradOK = stride1 && g.kh == 3 && g.kw == 3 && g.dh == g.dw && g.ph % g.dh == 0 && g.pw % g.dw == 0
            && (g.dh == 1 || (g.h >= 2 * g.dh && g.w >= 2 * g.dw && g.oh >= 2 * g.dh && g.ow >= 2 * g.dw))
        switch requested {
        case .im2col: return .im2col
        case .thin:
            guard stride1 else { throw TensorError.invalidArgument(op: "conv2d", detail: "thin path needs stride 1") }
            return .thin
        case .winograd:
            guard winogradOK else {
                throw TensorError.invalidArgument(op: "conv2d",
                    detail: "Winograd needs a 3×3 kernel, stride 1, and padding a multiple of the dilation")
            }
            return .winograd
        case .auto:
            // Winograd's 36 GEMMs have one column per 4×4 tile: with few tiles they are too thin
            // to beat one im2col GEMM at 512 channels (measured: 512 ch @16² loses 2×, @32² with 64 tiles wins 3×).
            let tiles = ((g.oh + 3) / 4) * ((g.ow + 3) / 4)
            // Maps under 16×16 are at most 16 tiles: little to gain, and Winograd's larger rounding error (its
            // transforms amplify it ~10×) added up past 1e-4 of the gradients' RMS in the training-step checks
            // against PyTorch. Real layers (≥ 32×32 at 128² inputs and up) are not affected.
            if winogradOK && g.c >= 16 && o >= 16 && g.oh >= 16 && g.ow >= 16 && (tiles >= 32 || g.c < 512) {
                return .winograd
            }
            if stride1 && o <= 8 && g.c >= 16 && g.kh &* g.kw > 1 { return .thin }
            return .im2col
        }
    }

    /// Whether the input gradient of this convolution can run as a Winograd convolution.
    private static func winogradBackwardApplies(_ g: ConvGeometry, outChannels o: Int) -> Bool {
        g.kh == 3 && g.kw == 3 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.ph == g.pw && g.ph <= 2
            && g.c >= 16 && o >= 16 && g.h >= 16 && g.w >= 16
    }

    /// Whether both gradients of this convolution run as `convBackwardThin`: the geometries the forward pass
    /// sends to the thin path (stride 1, ≤ 8 output channels, ≥ 16 input channels, a kernel larger than 1×1).
    static func thinBackwardApplies(_ g: ConvGeometry, outChannels o: Int) -> Bool {
        g.sh == 1 && g.sw == 1 && o <= 8 && g.c >= 16 && g.kh &* g.kw > 1
    }

    /// w'[c, o, ky, kx] = w[o, c, 2 − ky, 2 − kx] (cached on the weight's storage).
    private static func flippedTransposedWeights(_ weight: Tensor, o: Int, c: Int) -> Tensor {
        weight.storage.cached("flip-transpose-3x3") {
            var t = Tensor(uninitializedShape: [c, o, 3, 3])
            weight.withUnsafePointer { s in
                t.withUnsafeMutablePointer { d in
                    for oc in 0..<o { for ic in 0..<c { for k in 0..<9 {
                        d[(ic &* o &+ oc) &* 9 &+ k] = s[(oc &* c &+ ic) &* 9 &+ (8 &- k)]
                    } } }
                }
            }
            return t
        }
    }

    /// OIHW weights reordered to [O, kh·kw, C] for the thin path (cached on the weight's storage).
    private static func thinWeights(_ weight: Tensor, o: Int, c: Int, kk: Int) -> Tensor {
        weight.storage.cached("thin") {
            var t = Tensor(uninitializedShape: [o &* kk, c])
            weight.withUnsafePointer { s in
                t.withUnsafeMutablePointer { d in
                    for oc in 0..<o { for ic in 0..<c { for k in 0..<kk {
                        d[(oc &* kk &+ k) &* c &+ ic] = s[(oc &* c &+ ic) &* kk &+ k]
                    } } }
                }
            }
            return t
        }
    }
}
