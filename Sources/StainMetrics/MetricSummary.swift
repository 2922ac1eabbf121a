import Foundation

/// Mean ± standard deviation of a set of per-image values.
public struct MetricSummary: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    /// Population standard deviation (divisor N, like `np.std`).
    public let std: Double
    public let min: Double
    public let max: Double

    /// Summary of the finite values: non-finite ones (e.g. the infinite PSNR of identical images) are left out,
    /// and `count` says how many were used. No finite value gives NaN statistics and count 0.
    public init(_ values: [Double]) {
        let finite = values.filter { $0.isFinite }
        count = finite.count
        (mean, std) = MetricSummary.meanAndStd(finite)
        min = finite.min() ?? .nan
        max = finite.max() ?? .nan
    }

    /// "mean ± std" with the given number of decimals.
    public func formatted(decimals: Int = 4) -> String {
        String(format: "%.\(decimals)f ± %.\(decimals)f", mean, std)
    }

    /// Mean and population standard deviation; NaN for an empty set.
    static func meanAndStd(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
