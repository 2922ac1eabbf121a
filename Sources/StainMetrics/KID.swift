/// Kernel Inception Distance on feature vectors, as torch-fidelity 0.3.0 computes it (docs/paper.md ("Metrics")):
/// the unbiased MMD² with the polynomial kernel k(a, b) = (γ·aᵀb + coef0)^degree, averaged over random subsets.
public enum KID {
    /// Kernel and subset settings. The defaults are torch-fidelity's (subset size 1000; the paper used 40).
    public struct Options: Sendable, Equatable {
        public var subsets: Int
        public var subsetSize: Int
        public var degree: Int
        /// Kernel scale γ; `nil` means 1/dimension.
        public var gamma: Double?
        public var coef0: Double
        /// Seed of NumPy's legacy `RandomState`, so subsets are the ones torch-fidelity draws.
        public var seed: UInt32

        public init(subsets: Int = 100, subsetSize: Int = 1000, degree: Int = 3, gamma: Double? = nil,
                    coef0: Double = 1, seed: UInt32 = 2020) {
            self.subsets = subsets
            self.subsetSize = subsetSize
            self.degree = degree
            self.gamma = gamma
            self.coef0 = coef0
            self.seed = seed
        }
    }

    /// Mean and (population) standard deviation over subsets, plus each subset's MMD².
    public struct Result: Sendable, Equatable {
        public let mean: Double
        public let std: Double
        public let subsetValues: [Double]
    }

    /// KID over `options.subsets` subsets. Each subset draws `subsetSize` rows of `a`, then of `b`, without
    /// replacement, with NumPy's legacy generator (torch-fidelity's order: a's indices, then b's, per subset).
    /// To reproduce the paper's `fidelity --kid --input1 <pred> --input2 train/B`, pass the predictions as `a`
    /// and use `Options(subsetSize: 40)` (its subsets: 100, seed 2020).
    public static func score(_ a: FeatureMatrix, _ b: FeatureMatrix, options: Options = Options()) throws -> Result {
        guard a.dimension == b.dimension else {
            throw MetricError.invalidFeatures("feature dimensions differ: \(a.dimension) vs \(b.dimension)")
        }
        guard options.subsets >= 1 else { throw MetricError.invalidParameter("KID needs at least 1 subset") }
        guard options.subsetSize >= 2 else { throw MetricError.invalidParameter("KID subset size must be ≥ 2") }
        guard a.count >= options.subsetSize, b.count >= options.subsetSize else {
            throw MetricError.invalidFeatures(
                "KID subset size \(options.subsetSize) is larger than a set (\(a.count) and \(b.count) vectors)")
        }
        var rng = LegacyNumpyRandom(seed: options.seed)
        var values = [Double]()
        for _ in 0..<options.subsets {
            let ia = rng.choiceWithoutReplacement(a.count, options.subsetSize)
            let ib = rng.choiceWithoutReplacement(b.count, options.subsetSize)
            values.append(try unbiasedMMD2(a.selecting(rows: ia), b.selecting(rows: ib), options: options))
        }
        let (mean, std) = MetricSummary.meanAndStd(values)
        return Result(mean: mean, std: std, subsetValues: values)
    }

    /// Unbiased MMD² between two whole sets (sizes m and n, each ≥ 2):
    /// Σ_{i≠j} k(xᵢ,xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ)/(n(n−1)) − 2 Σ k(xᵢ,yⱼ)/(mn).
    public static func unbiasedMMD2(_ x: FeatureMatrix, _ y: FeatureMatrix, options: Options = Options()) throws
        -> Double
    {
        guard x.dimension == y.dimension else {
            throw MetricError.invalidFeatures("feature dimensions differ: \(x.dimension) vs \(y.dimension)")
        }
        guard x.count >= 2, y.count >= 2 else {
            throw MetricError.invalidFeatures("MMD² needs at least 2 vectors per set (\(x.count), \(y.count))")
        }
        let m = Double(x.count), n = Double(y.count)
        let xx = kernelSum(x, x, options, skipDiagonal: true)
        let yy = kernelSum(y, y, options, skipDiagonal: true)
        let xy = kernelSum(x, y, options, skipDiagonal: false)
        return xx / (m * (m - 1)) + yy / (n * (n - 1)) - 2 * xy / (m * n)
    }

    /// Σ k(pᵢ, qⱼ) over all pairs (or all i ≠ j).
    static func kernelSum(_ p: FeatureMatrix, _ q: FeatureMatrix, _ options: Options, skipDiagonal: Bool) -> Double {
        let d = p.dimension
        let gamma = options.gamma ?? 1 / Double(d)
        let dots = DenseLinearAlgebra.multiply(p.values, q.values, m: p.count, k: d, n: q.count, transposeB: true)
        var sum = 0.0
        for i in 0..<p.count {
            for j in 0..<q.count where !(skipDiagonal && i == j) {
                var k = 1.0
                let base = gamma * dots[i * q.count + j] + options.coef0
                for _ in 0..<options.degree { k *= base }
                sum += k
            }
        }
        return sum
    }
}
