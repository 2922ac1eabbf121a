import NeuralKernels

extension FeatureMatrix {
    /// Reads an [N, D] tensor (e.g. saved Inception features) from a safetensors file; F32/F16/BF16/F64 are read
    /// as float32 by NeuralKernels.
    public static func load(safetensors path: String, tensor name: String) throws -> FeatureMatrix {
        let dict = try StateDict.load(path)
        guard let t = dict[name] else {
            throw MetricError.invalidFeatures("\(path) has no tensor '\(name)' (it has \(dict.names))")
        }
        guard t.rank == 2 else {
            throw MetricError.invalidFeatures("\(path): '\(name)' has shape \(t.shape), expected [count, dimension]")
        }
        return try FeatureMatrix(count: t.shape[0], dimension: t.shape[1], values: t.scalars)
    }

    /// Writes the features as an [N, D] float32 tensor `name` to a safetensors file (atomically).
    public func save(safetensors path: String, tensor name: String = "features") throws {
        var dict = StateDict()
        dict[name] = try Tensor(shape: [count, dimension], scalars: values.map { Float($0) })
        try dict.save(path)
    }
}
