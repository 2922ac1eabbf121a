import XCTest
@testable import NeuralKernels

/// Centered finite-difference checks of every op's backward pass: L = Σ f(inputs)·r for a fixed random r,
/// compared with the autograd gradient on a sample of elements of every input.
final class GradCheckTests: XCTestCase {
    private func gradCheck(_ name: String, _ inputs: [Tensor], h: Float = 1e-2, rtol: Double = 2e-2,
                           atol: Double = 2e-3, samples: Int = 10, seed: UInt64 = 99,
                           file: StaticString = #filePath, line: UInt = #line,
                           _ f: ([Variable]) throws -> Variable) throws {
        let vars = inputs.map { Variable($0, requiresGrad: true) }
        let out = try f(vars)
        var rng = TestRNG(seed)
        let r = rng.tensor(out.shape)
        try out.backward(seed: r)
        func loss(_ xs: [Tensor]) throws -> Double {
            let y = try withoutGrad { try f(xs.map { Variable($0) }) }.value
            return zip(y.scalars, r.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        for (i, x) in inputs.enumerated() {
            let analytic = try XCTUnwrap(vars[i].grad, "\(name): input \(i) got no gradient", file: file, line: line)
            let picks = x.count <= samples ? Array(0..<x.count) : (0..<samples).map { _ in Int(rng.next() % UInt64(x.count)) }
            for k in picks {
                var plus = inputs, minus = inputs
                plus[i].withUnsafeMutableBufferPointer { $0[k] += h }
                minus[i].withUnsafeMutableBufferPointer { $0[k] -= h }
                let numeric = (try loss(plus) - loss(minus)) / Double(2 * h)
                let a = Double(analytic.scalars[k])
                XCTAssertLessThanOrEqual(Swift.abs(numeric - a), atol + rtol * max(Swift.abs(a), Swift.abs(numeric)),
                                         "\(name): input \(i) element \(k): numeric \(numeric) vs analytic \(a)",
                                         file: file, line: line)
            }
        }
    }

    /// Random values pushed at least `gap` away from zero (keeps FD away from kinks of relu/abs/sign).
    private func awayFromZero(_ t: Tensor, gap: Float = 0.1) -> Tensor {
        var t = t
        t.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] = b[i] >= 0 ? b[i] + gap : b[i] - gap } }
        return t
    }

    func testConvolutionGradients() throws {
        var g = TestRNG(10)
        try gradCheck("conv s1p1", [g.tensor([1, 3, 5, 6]), g.tensor([4, 3, 3, 3]), g.tensor([4])]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1)
        }
        try gradCheck("conv s2p1d1", [g.tensor([2, 2, 7, 6]), g.tensor([3, 2, 3, 3]), g.tensor([3])]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1)
        }
        try gradCheck("conv dilated", [g.tensor([1, 2, 7, 7]), g.tensor([2, 2, 3, 3])]) {
            try conv2d($0[0], weight: $0[1], padding: 2, dilation: 2)
        }
        try gradCheck("conv winograd forward", [g.tensor([1, 16, 5, 6]), g.tensor([16, 16, 3, 3], -0.2, 0.2)],
                      h: 2e-2, rtol: 3e-2, atol: 5e-3) {
            try conv2d($0[0], weight: $0[1], padding: 1)
        }
        try gradCheck("conv thin forward", [g.tensor([1, 16, 9, 9]), g.tensor([2, 16, 5, 5], -0.2, 0.2), g.tensor([2])],
                      h: 2e-2, rtol: 3e-2, atol: 5e-3) {
            try conv2d($0[0], weight: $0[1], bias: $0[2])
        }
        try gradCheck("convT s2p1op1", [g.tensor([1, 3, 4, 5]), g.tensor([3, 2, 3, 3]), g.tensor([2])]) {
            try convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1)
        }
        try gradCheck("convT k4s2p1", [g.tensor([2, 2, 3, 3]), g.tensor([2, 3, 4, 4])]) {
            try convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1)
        }
    }

    func testNormalizationAndActivationGradients() throws {
        var g = TestRNG(11)
        try gradCheck("instanceNorm", [g.tensor([2, 3, 4, 5], -2, 2)], h: 1e-2, rtol: 3e-2, atol: 3e-3) {
            try instanceNorm($0[0])
        }
        try gradCheck("instanceNorm affine", [g.tensor([1, 2, 4, 4], -2, 2), g.tensor([2]), g.tensor([2])],
                      rtol: 3e-2, atol: 3e-3) {
            try instanceNorm($0[0], weight: $0[1], bias: $0[2])
        }
        try gradCheck("instanceNormReLU", [g.tensor([1, 2, 4, 4], -2, 2)], rtol: 3e-2, atol: 3e-3) {
            try instanceNormReLU($0[0])
        }
        // Few output channels: both gradients through the thin backward (dy unfolded onto the input grid).
        try gradCheck("conv2d thin backward", [g.tensor([1, 16, 6, 5]), g.tensor([2, 16, 3, 3], -0.3, 0.3),
                                               g.tensor([2])], h: 1e-2, rtol: 3e-2, atol: 3e-3) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1)
        }
        let x = awayFromZero(g.tensor([2, 3, 3, 4]))
        try gradCheck("relu", [x]) { relu($0[0]) }
        try gradCheck("leakyRelu", [x]) { leakyRelu($0[0], slope: 0.2) }
        try gradCheck("tanh", [g.tensor([2, 3, 3, 4], -2, 2)]) { tanh($0[0]) }
        try gradCheck("sigmoid", [g.tensor([2, 3, 3, 4], -2, 2)]) { sigmoid($0[0]) }
        try gradCheck("reflectPad", [g.tensor([1, 2, 4, 5])]) { try reflectPad($0[0], left: 2, right: 1, top: 3, bottom: 1) }
    }

    func testElementwiseGradients() throws {
        var g = TestRNG(12)
        let a = g.tensor([2, 3, 3, 4]), pos = g.tensor([2, 3, 3, 4], 0.5, 2)
        try gradCheck("add bcast", [a, g.tensor([1, 3, 1, 4])]) { try add($0[0], $0[1]) }
        try gradCheck("sub bcast", [g.tensor([2, 1, 3, 1]), a]) { try sub($0[0], $0[1]) }
        try gradCheck("mul bcast", [a, g.tensor([2, 3, 1, 1])]) { try mul($0[0], $0[1]) }
        try gradCheck("div bcast", [a, g.tensor([1, 3, 3, 4], 0.5, 2)], h: 1e-3) { try div($0[0], $0[1]) }
        try gradCheck("affine", [a]) { affine($0[0], scale: -1.5, shift: 2) }
        try gradCheck("abs", [awayFromZero(a)]) { abs($0[0]) }
        try gradCheck("pow", [pos], h: 1e-3) { pow($0[0], 2.4) }
        try gradCheck("sqrt", [pos], h: 1e-3) { sqrt($0[0]) }
        try gradCheck("exp", [a], h: 1e-3) { exp($0[0]) }
        try gradCheck("log", [pos], h: 1e-3) { log($0[0]) }
        try gradCheck("clamp", [awayFromZero(a)]) { clamp($0[0], min: 0) }
        let mask = Kernels.greater(g.tensor([2, 3, 3, 4]), than: 0)
        try gradCheck("select", [a, pos]) { try select(mask: mask, $0[0], $0[1]) }
    }

    func testShapeAndSamplingGradients() throws {
        var g = TestRNG(13)
        try gradCheck("concat", [g.tensor([1, 2, 3, 3]), g.tensor([1, 1, 3, 3])]) { try concatChannels([$0[0], $0[1]]) }
        try gradCheck("slice", [g.tensor([2, 4, 2, 3])]) { try sliceChannels($0[0], 1..<3) }
        try gradCheck("permute", [g.tensor([2, 3, 2, 4])]) { try permute($0[0], [0, 2, 3, 1]) }
        try gradCheck("reshape", [g.tensor([2, 3, 2, 2])]) { try reshape($0[0], [6, 4]) }
        try gradCheck("maxPool 2", [g.tensor([1, 2, 6, 6])], h: 1e-3) { try maxPool2d($0[0], kernel: 2) }
        try gradCheck("maxPool 3s2p1", [g.tensor([1, 2, 7, 6])], h: 1e-3) { try maxPool2d($0[0], kernel: 3, stride: 2, padding: 1) }
        try gradCheck("avgPool", [g.tensor([1, 2, 6, 5])]) {
            try avgPool2d($0[0], kernel: 3, stride: 2, padding: 1, countIncludePad: false)
        }
        try gradCheck("subsample", [g.tensor([1, 2, 5, 6])]) { try subsample($0[0], step: 2) }
        try gradCheck("resize up", [g.tensor([1, 2, 3, 4])]) { try resizeBilinear($0[0], height: 7, width: 5, alignCorners: false) }
        try gradCheck("resize up ac", [g.tensor([1, 2, 3, 4])]) { try resizeBilinear($0[0], height: 7, width: 5, alignCorners: true) }
        try gradCheck("resize down", [g.tensor([1, 2, 8, 7])]) { try resizeBilinear($0[0], height: 3, width: 4, alignCorners: false) }
        try gradCheck("gridSample", [g.tensor([1, 2, 5, 6]), g.tensor([1, 4, 3, 2], -1.3, 1.3)], h: 1e-3,
                      rtol: 3e-2, atol: 3e-3) { try gridSample($0[0], grid: $0[1]) }
    }

    func testReductionAndLossGradients() throws {
        var g = TestRNG(14)
        let a = g.tensor([2, 3, 3, 4]), b = g.tensor([2, 3, 3, 4])
        try gradCheck("sum", [a]) { sum($0[0]) }
        try gradCheck("mean", [a]) { mean($0[0]) }
        try gradCheck("spatialMean", [a]) { try spatialMean($0[0]) }
        try gradCheck("channelMean", [a]) { try channelMean($0[0]) }
        try gradCheck("l1", [a, b], h: 1e-3) { try l1Loss($0[0], $0[1]) }
        try gradCheck("mse", [a, b]) { try mseLoss($0[0], $0[1]) }
        try gradCheck("smooth", [g.tensor([1, 2, 4, 5], -2, 2)]) { try flowSmoothness($0[0]) }
    }

    func testColorGradients() throws {
        var g = TestRNG(15)
        try gradCheck("rgbToLab", [g.tensor([1, 3, 3, 3], 0.1, 0.9)], h: 1e-3, rtol: 3e-2, atol: 2e-2) { try rgbToLab($0[0]) }
        let lab = try Kernels.concatChannels([g.tensor([1, 1, 3, 3], 20, 80), g.tensor([1, 2, 3, 3], -40, 40)])
        try gradCheck("labToRgb", [lab], h: 1e-2, rtol: 3e-2, atol: 2e-3) { try labToRgb($0[0]) }
    }

    /// A composite graph with shared subexpressions: gradients must accumulate from both uses.
    func testGraphAccumulatesSharedUses() throws {
        var g = TestRNG(16)
        try gradCheck("shared", [g.tensor([1, 2, 4, 4]), g.tensor([2, 2, 3, 3])]) { v in
            let y = try conv2d(v[0], weight: v[1], padding: 1)
            let z = try add(y, tanh(y))
            return try mul(z, v[0])
        }
    }
}
