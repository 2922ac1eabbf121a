import Foundation

/// Micro-benchmarks of single layers (for `stain bench` and for tuning; never used by tests to assert speed).
public enum Benchmark {
    /// Median wall time in seconds of `repeats` runs of `body` after one warm-up run.
    public static func median(repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Median seconds of one conv2d forward on random data: x [n, c, h, w], weight [o, c, k, k].
    public static func conv2d(n: Int = 1, c: Int, h: Int, w: Int, o: Int, kernel k: Int, stride: Int = 1,
                              padding: Int = 0, dilation: Int = 1, algorithm: ConvAlgorithm = .auto,
                              repeats: Int = 5) throws -> Double {
        var rng = SeededGenerator(seed: 1)
        let x = Tensor.uniform([n, c, h, w], low: -1, high: 1, using: &rng)
        let wt = Tensor.uniform([o, c, k, k], low: -0.1, high: 0.1, using: &rng)
        let b = Tensor.uniform([o], low: -0.1, high: 0.1, using: &rng)
        return try median(repeats: repeats) {
            _ = try Kernels.conv2d(x, weight: wt, bias: b, stride: stride, padding: padding, dilation: dilation,
                                   algorithm: algorithm)
        }
    }

    /// Median seconds of one transposed-conv forward: x [n, cin, h, w], weight [cin, cout, k, k].
    public static func convTranspose2d(n: Int = 1, cin: Int, h: Int, w: Int, cout: Int, kernel k: Int,
                                       stride: Int = 2, padding: Int = 1, outputPadding: Int = 1,
                                       repeats: Int = 5) throws -> Double {
        var rng = SeededGenerator(seed: 2)
        let x = Tensor.uniform([n, cin, h, w], low: -1, high: 1, using: &rng)
        let wt = Tensor.uniform([cin, cout, k, k], low: -0.1, high: 0.1, using: &rng)
        let b = Tensor.uniform([cout], low: -0.1, high: 0.1, using: &rng)
        return try median(repeats: repeats) {
            _ = try Kernels.convTranspose2d(x, weight: wt, bias: b, stride: stride, padding: padding,
                                            outputPadding: outputPadding)
        }
    }

    /// Median seconds of instance norm (+ fused ReLU) and of a reflect pad by 1 on x [n, c, h, w].
    public static func normAndPad(n: Int = 1, c: Int, h: Int, w: Int, repeats: Int = 5) throws -> (norm: Double, pad: Double) {
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.uniform([n, c, h, w], low: -1, high: 1, using: &rng)
        let norm = try median(repeats: repeats) { _ = try Kernels.instanceNorm(x, fusedReLU: true) }
        let pad = try median(repeats: repeats) { _ = try Kernels.reflectPad(x, 1) }
        return (norm, pad)
    }
}
