import NeuralKernels

/// The LAB → RGB half of the colour wrapper (docs/paper.md ("Networks")) as differentiable `Variable` ops, so a loss on the
/// teacher's RGB output can train the colorizer. Mirrors `LabColor.rgb` (the buffer version used for checks).
public enum LabColorOps {
    static let eps: Float = 1e-7

    /// Normalised l [N,1,H,W] and ab/110 [N,2,H,W] → RGB in [−1, 1] [N,3,H,W].
    public static func rgb(lightness l: Variable, ab: Variable) throws -> Variable {
        let (_, lc, _, _) = try l.value.nchw("LabColorOps.rgb")
        let (_, abc, _, _) = try ab.value.nchw("LabColorOps.rgb")
        guard lc == 1, abc == 2, l.shape[0] == ab.shape[0], l.shape[2...] == ab.shape[2...] else {
            throw ModelError.invalidInput("lab→rgb expects l [N,1,H,W] and ab [N,2,H,W], got \(l.shape), \(ab.shape)")
        }
        // f(Y) = (100·l + 50 + 16)/116; f(X) = a·110/500 + f(Y); f(Z) = max(0, f(Y) − b·110/200).
        let fy = affine(l, scale: 100 / 116, shift: 66 / 116)
        let fx = try add(affine(sliceChannels(ab, 0..<1), scale: 110 / 500), fy)
        let fz = clamp(try sub(fy, affine(sliceChannels(ab, 1..<2), scale: 110 / 200)), min: 0)
        let x = affine(try inverseF(fx), scale: 0.95047)
        let y = try inverseF(fy)
        let z = affine(try inverseF(fz), scale: 1.08883)
        let r = try mix(x, 3.24048134, y, -1.53715152, z, -0.49853633)
        let g = try mix(x, -0.96925495, y, 1.87599, z, 0.04155593)
        let b = try mix(x, 0.05564664, y, -0.20404134, z, 1.05731107)
        let linear = clamp(try concatChannels([r, g, b]), min: 0)
        let bright = affine(pow(affine(abs(linear), scale: 1, shift: eps), 1 / 2.4), scale: 1.055, shift: -0.055)
        let dark = affine(linear, scale: 12.92)
        let srgb = try select(mask: Kernels.greater(linear.value, than: 0.0031308), bright, dark)
        return affine(srgb, scale: 2, shift: -1)
    }

    /// f⁻¹(t) = t > 0.2068966 ? (|t| + eps)³ : (t − 16/116)/7.787.
    static func inverseF(_ t: Variable) throws -> Variable {
        let cube = pow(affine(abs(t), scale: 1, shift: eps), 3)
        let linear = affine(t, scale: 1 / 7.787, shift: -(16 / 116) / 7.787)
        return try select(mask: Kernels.greater(t.value, than: 0.2068966), cube, linear)
    }

    static func mix(_ a: Variable, _ ka: Float, _ b: Variable, _ kb: Float, _ c: Variable, _ kc: Float) throws
        -> Variable {
        try add(add(affine(a, scale: ka), affine(b, scale: kb)), affine(c, scale: kc))
    }
}
