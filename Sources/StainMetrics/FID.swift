/// Fréchet Inception Distance on feature vectors, as pytorch-fid 0.2.1 computes it (docs/paper.md ("Metrics")):
/// ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2·Tr sqrtm(Σ1Σ2), Σ with the N−1 divisor.
///
/// Tr sqrtm(Σ1Σ2) is taken as Σ √λ over the eigenvalues λ of the symmetric matrix √Σ1·Σ2·√Σ1 (it has the same
/// eigenvalues as Σ1Σ2), with tiny negative eigenvalues from rounding clamped to zero (LAPACK `dsyev`, double
/// precision). This stays real and finite for the rank-deficient covariances of small sets, where SciPy's `sqrtm`
/// may need pytorch-fid's εI retry. From feature sets smaller than the dimension, a Gram-matrix route gives the same
/// trace (to ~1e-8 relative) far faster.
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
        let (mean, scaled) = centred(features)
        let cov = DenseLinearAlgebra.multiply(scaled, scaled, m: d, k: n, n: d, transposeA: true)
        return try Statistics(dimension: d, mean: mean, covariance: cov)
    }

    /// FID between two feature sets. When a set has fewer vectors than dimensions (e.g. 40 predictions in 2048-D),
    /// Tr sqrtm(Σ1Σ2) is the sum of singular values of A·Bᵀ (A, B the centred sets over √(N−1)), found from a small
    /// N×N Gram matrix (two 2048×2048 eigen-decompositions are replaced by one N×N).
    public static func distance(_ a: FeatureMatrix, _ b: FeatureMatrix) throws -> Double {
        guard a.dimension == b.dimension else {
            throw MetricError.invalidFeatures("feature dimensions differ: \(a.dimension) vs \(b.dimension)")
        }
        let d = a.dimension
        guard min(a.count, b.count) < d else { return try distance(statistics(a), statistics(b)) }
        guard a.count >= 2, b.count >= 2 else {
            throw MetricError.invalidFeatures("FID needs at least 2 vectors per set (\(a.count), \(b.count))")
        }
        let (meanA, ca) = centred(a), (meanB, cb) = centred(b)
        var meanTerm = 0.0
        for i in 0..<d { meanTerm += (meanA[i] - meanB[i]) * (meanA[i] - meanB[i]) }
        let traceA = ca.reduce(0) { $0 + $1 * $1 }, traceB = cb.reduce(0) { $0 + $1 * $1 }
        // M = A·Bᵀ (nA×nB); its singular values are the square roots of the Gram matrix's eigenvalues.
        let m = DenseLinearAlgebra.multiply(ca, cb, m: a.count, k: d, n: b.count, transposeB: true)
        let small = min(a.count, b.count)
        let gram = b.count <= a.count
            ? DenseLinearAlgebra.multiply(m, m, m: b.count, k: a.count, n: b.count, transposeA: true)
            : DenseLinearAlgebra.multiply(m, m, m: a.count, k: b.count, n: a.count, transposeB: true)
        let (eigenvalues, _) = try DenseLinearAlgebra.symmetricEigen(gram, n: small, withVectors: false)
        let nuclear = eigenvalues.reduce(0) { $0 + max($1, 0).squareRoot() }
        return meanTerm + traceA + traceB - 2 * nuclear
    }

    /// Column means and the centred rows scaled by 1/√(N−1) (so that Σ = CᵀC).
    static func centred(_ f: FeatureMatrix) -> (mean: [Double], scaled: [Double]) {
        let n = f.count, d = f.dimension
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for c in 0..<d { mean[c] += f.values[r * d + c] }
        }
        for c in 0..<d { mean[c] /= Double(n) }
        let s = 1 / Double(n - 1).squareRoot()
        var out = f.values
        for r in 0..<n {
            for c in 0..<d { out[r * d + c] = (out[r * d + c] - mean[c]) * s }
        }
        return (mean, out)
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
