/// A set of feature vectors (e.g. Inception pool3 activations): `count` rows of `dimension` values, row-major.
public struct FeatureMatrix: Sendable, Equatable {
    public let count: Int
    public let dimension: Int
    /// Row-major values, `values[row * dimension + column]`.
    public let values: [Double]

    /// Wraps row-major values; throws if the buffer does not hold count × dimension values.
    public init(count: Int, dimension: Int, values: [Double]) throws {
        guard count >= 0, dimension > 0 else {
            throw MetricError.invalidFeatures("shape \(count)×\(dimension) is not valid")
        }
        guard values.count == count * dimension else {
            throw MetricError.invalidFeatures(
                "buffer holds \(values.count) values, \(count)×\(dimension) needs \(count * dimension)")
        }
        guard values.allSatisfy({ $0.isFinite }) else {
            throw MetricError.invalidFeatures("feature values must be finite")
        }
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Wraps row-major float32 values (the usual storage of network activations).
    public init(count: Int, dimension: Int, values: [Float]) throws {
        try self.init(count: count, dimension: dimension, values: values.map { Double($0) })
    }

    /// Builds the matrix from one vector per sample; all vectors must have the same length.
    public init(rows: [[Double]]) throws {
        guard let d = rows.first?.count, d > 0 else { throw MetricError.invalidFeatures("no feature vectors") }
        guard rows.allSatisfy({ $0.count == d }) else {
            throw MetricError.invalidFeatures("feature vectors have different lengths")
        }
        try self.init(count: rows.count, dimension: d, values: rows.flatMap { $0 })
    }

    /// The matrix restricted to the given rows, in that order.
    public func selecting(rows indices: [Int]) throws -> FeatureMatrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * dimension)
        for i in indices {
            guard i >= 0, i < count else {
                throw MetricError.invalidParameter("row index \(i) is outside 0..<\(count)")
            }
            out.append(contentsOf: values[(i * dimension)..<((i + 1) * dimension)])
        }
        return try FeatureMatrix(count: indices.count, dimension: dimension, values: out)
    }
}
