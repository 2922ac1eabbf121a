/// Fréchet Inception Distance on feature vectors, as pytorch-fid 0.2.1 computes it (REFERENCE-SPEC §7):
/// ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2·Tr sqrtm(Σ1Σ2), Σ with the N−1 divisor.
///
/// Tr sqrtm(Σ1Σ2) is taken as Σ √λ over the eigenvalues λ of the symmetric matrix √Σ1·Σ2·√Σ1 (it has the same
/// eigenvalues as Σ1Σ2), with tiny negative eigenvalues from rounding clamped to zero. This stays real and finite
/// for the rank-deficient covariances of small sets, where SciPy's `sqrtm` may need pytorch-fid's εI retry.
public enum FID {
    /// Mean vector and covariance matrix (row-major, dimension²) of a feature set.
    public struct Statistics: Sendable, Equatable {
        public let dimension: Int
        public let mean: [Double]
        public let covariance: [Double]

        public init(dimension: Int, mean: [Double], covariance: [Double]) throws {
            guard dimension > 0, mean.count == dimension, covariance.count == dimension * dimension else {
                throw MetricError.invalidFeatures(
                    "statistics need a mean of \(dimension) values and a \(dimension)×\(dimension) covariance")
            }
            self.dimension = dimension
            self.mean = mean
            self.covariance = covariance
        }
    }

    /// Mean and covariance (divisor N−1, like `np.cov`) of at least two feature vectors.
    public static func statistics(_ features: FeatureMatrix) throws -> Statistics {
        let n = features.count, d = features.dimension
        guard n >= 2 else { throw MetricError.invalidFeatures("FID statistics need at least 2 vectors, got \(n)") }
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for c in 0..<d { mean[c] += features.values[r * d + c] }
        }
        for c in 0..<d { mean[c] /= Double(n) }
        var centred = features.values
        for r in 0..<n {
            for c in 0..<d { centred[r * d + c] -= mean[c] }
        }
        var cov = DenseLinearAlgebra.multiply(centred, centred, m: d, k: n, n: d, transposeA: true)
        let scale = 1 / Double(n - 1)
        for i in 0..<cov.count { cov[i] *= scale }
        return try Statistics(dimension: d, mean: mean, covariance: cov)
    }

    /// FID between two feature sets.
    public static func distance(_ a: FeatureMatrix, _ b: FeatureMatrix) throws -> Double {
        guard a.dimension == b.dimension else {
            throw MetricError.invalidFeatures("feature dimensions differ: \(a.dimension) vs \(b.dimension)")
        }
        return try distance(statistics(a), statistics(b))
    }

    /// Fréchet distance between two Gaussians given by their statistics.
    public static func distance(_ s1: Statistics, _ s2: Statistics) throws -> Double {
        guard s1.dimension == s2.dimension else {
            throw MetricError.invalidFeatures("statistics dimensions differ: \(s1.dimension) vs \(s2.dimension)")
        }
        let d = s1.dimension
        var meanTerm = 0.0, traceTerm = 0.0
        for i in 0..<d {
            let diff = s1.mean[i] - s2.mean[i]
            meanTerm += diff * diff
            traceTerm += s1.covariance[i * d + i] + s2.covariance[i * d + i]
        }
        return meanTerm + traceTerm - 2 * (try traceOfSqrtProduct(s1.covariance, s2.covariance, n: d))
    }

    /// Tr sqrtm(A·B) for symmetric positive semi-definite A and B: Σ √λ(√A·B·√A).
    static func traceOfSqrtProduct(_ a: [Double], _ b: [Double], n: Int) throws -> Double {
        let (va, wa) = try DenseLinearAlgebra.symmetricEigen(a, n: n)
        let rootA = DenseLinearAlgebra.symmetricFunction(values: va, vectors: wa, n: n) { max($0, 0).squareRoot() }
        var m = DenseLinearAlgebra.multiply(
            DenseLinearAlgebra.multiply(rootA, b, m: n, k: n, n: n), rootA, m: n, k: n, n: n)
        // Symmetrise away rounding asymmetry before the symmetric solver.
        for i in 0..<n {
            for j in (i + 1)..<n {
                let s = 0.5 * (m[i * n + j] + m[j * n + i])
                m[i * n + j] = s
                m[j * n + i] = s
            }
        }
        let (eigenvalues, _) = try DenseLinearAlgebra.symmetricEigen(m, n: n, withVectors: false)
        return eigenvalues.reduce(0) { $0 + max($1, 0).squareRoot() }
    }
}
