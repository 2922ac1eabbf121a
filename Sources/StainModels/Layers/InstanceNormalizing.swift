import NeuralKernels

/// How an inference pass applies its InstanceNorm layers, one call per layer in forward order. Without one, each
/// layer normalizes with its own statistics (PyTorch's instance norm); tiled execution of large images supplies
/// statistics frozen from a whole-image pass instead, so every tile normalizes alike.
public protocol InstanceNormalizing: AnyObject {
    /// Normalizes `x` ([1, C, H, W]) in place, then applies ReLU if `relu`.
    func normalize(_ x: inout Tensor, relu: Bool) throws
}

extension Optional where Wrapped == any InstanceNormalizing {
    /// Applies the normalizer, or the plain instance norm when there is none.
    @inline(__always)
    func normalize(_ x: inout Tensor, relu: Bool) throws {
        if let self { try self.normalize(&x, relu: relu) } else { try Kernels.instanceNormInPlace(&x, fusedReLU: relu) }
    }
}
