import NeuralKernels

/// [1, C, H, W] tensors of one shape → [N, C, H, W] (NCHW batches are the images' storage end to end).
func stackBatch(_ images: [Tensor]) throws -> Tensor {
    guard let first = images.first else {
        throw TensorError.invalidArgument(op: "stackBatch", detail: "no images")
    }
    let item = Array(first.shape.dropFirst())
    var scalars: [Float] = []
    scalars.reserveCapacity(images.reduce(0) { $0 + $1.count })
    for image in images {
        guard Array(image.shape.dropFirst()) == item else {
            throw TensorError.shapeMismatch(op: "stackBatch", detail: "\(image.shape) vs \(first.shape)")
        }
        image.withUnsafeBufferPointer { scalars.append(contentsOf: $0) }
    }
    let n = images.reduce(0) { $0 + $1.shape[0] }
    return try Tensor(shape: [n] + item, scalars: scalars)
}

/// Image `index` of a batch as [1, C, H, W].
func batchItem(_ t: Tensor, _ index: Int) throws -> Tensor {
    let per = t.count / t.shape[0]
    let scalars = t.withUnsafeBufferPointer { Array($0[(index * per)..<((index + 1) * per)]) }
    return try Tensor(shape: [1] + Array(t.shape.dropFirst()), scalars: scalars)
}
