import CBLAS

/// Dense double-precision linear algebra on small row-major matrices: products through `cblas_dgemm` and the
/// symmetric eigen-decomposition through LAPACK `dsyev_`.
enum DenseLinearAlgebra {
    /// C = A·B for row-major A (m×k) and B (k×n).
    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int,
                         transposeA: Bool = false, transposeB: Bool = false) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasRowMajor,
                                transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1.0,
                                pa.baseAddress, Int32(transposeA ? m : k),
                                pb.baseAddress, Int32(transposeB ? k : n),
                                0.0, pc.baseAddress, Int32(n))
                }
            }
        }
        return c
    }

    /// Eigenvalues (ascending) and eigenvectors of a symmetric n×n matrix. `vectors[i * n + j]` is component i of
    /// eigenvector j (eigenvectors are the columns of the row-major result); empty when `withVectors` is false.
    static func symmetricEigen(_ matrix: [Double], n: Int,
                               withVectors: Bool = true) throws -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n)
        guard n > 0 else { return ([], []) }
        // LAPACK is column-major: pass the symmetric matrix as is, get eigenvectors as columns (column-major),
        // then transpose them into row-major order.
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0, lwork: Int32 = -1
        var query = 0.0
        var jobz = Int8(UInt8(ascii: withVectors ? "V" : "N")), uplo = Int8(UInt8(ascii: "L"))
        dsyev_(&jobz, &uplo, &nn, &a, &lda, &w, &query, &lwork, &info)
        guard info == 0 else { throw MetricError.numericalFailure("dsyev workspace query failed (info \(info))") }
        lwork = Int32(query)
        var work = [Double](repeating: 0, count: max(1, Int(lwork)))
        dsyev_(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &info)
        guard info == 0 else {
            throw MetricError.numericalFailure("dsyev did not converge on a \(n)×\(n) matrix (info \(info))")
        }
        guard withVectors else { return (w, []) }
        var vectors = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n { vectors[i * n + j] = a[j * n + i] }
        }
        return (w, vectors)
    }

    /// V·diag(f(λ))·Vᵀ for a symmetric matrix with eigen-decomposition (λ, V).
    static func symmetricFunction(values: [Double], vectors: [Double], n: Int,
                                  _ f: (Double) -> Double) -> [Double] {
        var scaled = vectors
        for j in 0..<n {
            let s = f(values[j])
            for i in 0..<n { scaled[i * n + j] *= s }
        }
        return multiply(scaled, vectors, m: n, k: n, n: n, transposeB: true)
    }

    /// Moore–Penrose pseudo-inverse of a symmetric matrix; eigenvalues with |λ| ≤ rcond·max|λ| count as zero
    /// (NumPy `pinv`'s default rcond = 1e-15).
    static func symmetricPseudoInverse(_ matrix: [Double], n: Int, rcond: Double = 1e-15) throws -> [Double] {
        let (values, vectors) = try symmetricEigen(matrix, n: n)
        let cutoff = rcond * (values.map(abs).max() ?? 0)
        return symmetricFunction(values: values, vectors: vectors, n: n) { abs($0) > cutoff ? 1 / $0 : 0 }
    }
}
