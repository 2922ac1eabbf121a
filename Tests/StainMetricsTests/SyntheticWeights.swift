import NeuralKernels

/// Deterministic stand-in network weights, a pure function of each tensor's name; bit-for-bit the same as
/// `synthetic_tensor` in scripts/fixtures/make_metric_fixtures.py (so the fixture need not store the weights).
enum SyntheticWeights {
    static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// Values in [−1, 1): splitmix64(fnv1a64(name) + i), top 24 bits, centred, / 2^23.
    static func uniform(_ name: String, count: Int) -> [Float] {
        let seed = fnv1a64(name)
        return (0..<count).map { i in
            var z = seed &+ UInt64(i) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z = z ^ (z >> 31)
            return Float(Int64(z >> 40) - (1 << 23)) / Float(1 << 23)
        }
    }

    static func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let u = uniform(name, count: shape.reduce(1, *))
        let values: [Float]
        if name.hasSuffix("conv.weight") {
            let scale = Float((6.0 / Double(shape.dropFirst().reduce(1, *))).squareRoot())
            values = u.map { $0 * scale }
        } else if name.hasSuffix("bn.weight") || name.hasSuffix("bn.running_var") {
            values = u.map { 1 + 0.25 * $0 }
        } else if name.hasSuffix("bn.bias") || name.hasSuffix("bn.running_mean") {
            values = u.map { 0.125 * $0 }
        } else {
            values = u.map { 0.01 * $0 }
        }
        return try Tensor(shape: shape, scalars: values)
    }

    /// A state dict from "name:d0,d1,..." lines.
    static func stateDict(listing: String) throws -> StateDict {
        var dict = StateDict()
        for line in listing.split(separator: "\n") {
            let parts = line.split(separator: ":")
            let shape = parts[1].split(separator: ",").map { Int($0)! }
            dict[String(parts[0])] = try tensor(String(parts[0]), shape: shape)
        }
        return dict
    }
}
