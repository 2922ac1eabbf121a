/// Weights from a fixed formula, so that Swift tests can check full-size networks against PyTorch outputs without
/// committing the weights. scripts/fixtures/stainmodels_torch.py `deterministic_tensor` computes the same bits:
///
///     u_i = fmix32((i · 2654435761 mod 2³²) XOR fnv1a32(name))        (murmur3 finalizer)
///     w_i = Float((2 · u_i / 2³² − 1) · s)                           (in Double, then rounded)
///
/// with s = 1/√(shape[1] · shape[2] · …) for tensors of rank ≥ 2 and s = 0.1 for rank-1 tensors (biases).
public enum DeterministicWeights {
    /// FNV-1a, 32 bit, over the UTF-8 bytes of `text`.
    public static func fnv1a32(_ text: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            h ^= UInt32(byte)
            h = h &* 0x0100_0193
        }
        return h
    }

    /// The values of tensor `name` with `shape`, row-major.
    public static func values(name: String, shape: [Int]) -> [Float] {
        let count = shape.reduce(1, *)
        let seed = fnv1a32(name)
        let scale: Double
        if shape.count >= 2 {
            scale = 1.0 / Double(shape.dropFirst().reduce(1, *)).squareRoot()
        } else {
            scale = 0.1
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                var u = UInt32(truncatingIfNeeded: i) &* 2_654_435_761 ^ seed
                u ^= u >> 16
                u = u &* 0x85EB_CA6B
                u ^= u >> 13
                u = u &* 0xC2B2_AE35
                u ^= u >> 16
                buffer[i] = Float((Double(u) / 4_294_967_296.0 * 2.0 - 1.0) * scale)
            }
            initialized = count
        }
    }
}
