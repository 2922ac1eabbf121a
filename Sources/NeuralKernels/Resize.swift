/// Bilinear resize (torch.nn.functional.interpolate(mode='bilinear')) and its adjoint.
extension Kernels {
    /// Source positions of one axis: for each output index the lower input index, the upper one and the weight
    /// of the upper one, computed in Float exactly like PyTorch's CPU kernel.
    static func bilinearAxis(input: Int, output: Int, alignCorners: Bool) -> [(Int, Int, Float)] {
        let scale: Float
        if alignCorners {
            scale = output > 1 ? Float(input - 1) / Float(output - 1) : 0
        } else {
            scale = Float(input) / Float(output)
        }
        return (0..<output).map { o in
            var src: Float
            if alignCorners { src = scale * Float(o) } else {
                src = scale * (Float(o) + 0.5) - 0.5
                if src < 0 { src = 0 }
            }
            let i0 = min(Int(src), input - 1)
            let i1 = i0 + (i0 < input - 1 ? 1 : 0)
            let lambda = min(max(src - Float(i0), 0), 1)
            return (i0, i1, lambda)
        }
    }

    /// Resizes H×W to `height`×`width` bilinearly.
    public static func resizeBilinear(_ x: Tensor, height: Int, width: Int, alignCorners: Bool) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("resizeBilinear")
        guard height > 0, width > 0 else {
            throw TensorError.invalidArgument(op: "resizeBilinear", detail: "output size \(height)×\(width)")
        }
        let ay = bilinearAxis(input: h, output: height, alignCorners: alignCorners)
        let ax = bilinearAxis(input: w, output: width, alignCorners: alignCorners)
        var y = Tensor(uninitializedShape: [n, c, height, width])
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { yp in
                let dst = UncheckedBox(yp)
                parallelChunks(n &* c, costPerItem: height &* width &* 4) { r in
                    for p in r {
                        let sp = src + p &* h &* w, dp = dst.value + p &* height &* width
                        for oy in 0..<height {
                            let (y0, y1, ly) = ay[oy]
                            let r0 = sp + y0 &* w, r1 = sp + y1 &* w
                            for ox in 0..<width {
                                let (x0, x1, lx) = ax[ox]
                                let top = (1 - lx) * r0[x0] + lx * r0[x1]
                                let bottom = (1 - lx) * r1[x0] + lx * r1[x1]
                                dp[oy &* width &+ ox] = (1 - ly) * top + ly * bottom
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Adjoint of `resizeBilinear` for an input of `inputShape`.
    public static func resizeBilinearBackward(gradOutput dy: Tensor, inputShape: [Int],
                                              alignCorners: Bool) throws -> Tensor {
        let (n, c, height, width) = try dy.nchw("resizeBilinearBackward")
        guard inputShape.count == 4, inputShape[0] == n, inputShape[1] == c else {
            throw TensorError.shapeMismatch(op: "resizeBilinearBackward", detail: "\(dy.shape) vs input \(inputShape)")
        }
        let h = inputShape[2], w = inputShape[3]
        let ay = bilinearAxis(input: h, output: height, alignCorners: alignCorners)
        let ax = bilinearAxis(input: w, output: width, alignCorners: alignCorners)
        var dx = Tensor(zeros: inputShape)
        dy.withUnsafePointer { g in
            dx.withUnsafeMutablePointer { base in
                let dst = UncheckedBox(base)
                parallelChunks(n &* c, costPerItem: height &* width &* 4) { r in
                    for p in r {
                        let gp = g + p &* height &* width, dp = dst.value + p &* h &* w
                        for oy in 0..<height {
                            let (y0, y1, ly) = ay[oy]
                            for ox in 0..<width {
                                let (x0, x1, lx) = ax[ox]
                                let v = gp[oy &* width &+ ox]
                                dp[y0 &* w &+ x0] += (1 - ly) * (1 - lx) * v
                                dp[y0 &* w &+ x1] += (1 - ly) * lx * v
                                dp[y1 &* w &+ x0] += ly * (1 - lx) * v
                                dp[y1 &* w &+ x1] += ly * lx * v
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
