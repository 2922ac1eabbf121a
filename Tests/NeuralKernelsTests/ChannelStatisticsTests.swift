import NeuralKernels
import XCTest

/// Instance normalization in two halves (statistics, then normalization with supplied statistics), as the tiled
/// network nodes use it, equals the one-piece kernel when the statistics are the tensor's own.
final class ChannelStatisticsTests: XCTestCase {
    func testSuppliedOwnStatisticsEqualTheInstanceNormKernel() throws {
        var rng = SeededGenerator(seed: 7)
        let x = Tensor.normal([1, 3, 9, 11], mean: 40, std: 3, using: &rng)
        let stats = try ChannelStatistics(of: x)
        // Plain Double reference for channel 1.
        let plane = x.scalars[99..<198].map(Double.init)
        let mean = plane.reduce(0, +) / 99
        let variance = plane.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 99
        XCTAssertEqual(stats.mean[1], mean, accuracy: 1e-6)
        XCTAssertEqual(stats.variance[1], variance, accuracy: 1e-5)

        var split = x
        try split.instanceNormalize(with: stats, relu: true)
        let whole = try withoutGrad { try instanceNormReLU(Variable(x)).value }
        for (a, b) in zip(split.scalars, whole.scalars) { XCTAssertEqual(a, b, accuracy: 2e-5) }
        XCTAssertThrowsError(try split.instanceNormalize(with: ChannelStatistics(mean: [0], variance: [1]), relu: false),
                             "statistics for another channel count are refused")
    }
}
