/// Channel concatenation and slicing of NCHW tensors.
extension Kernels {
    /// Concatenates NCHW tensors along channels (torch.cat(dim=1)).
    public static func concatChannels(_ xs: [Tensor]) throws -> Tensor {
        guard let first = xs.first else {
            throw TensorError.invalidArgument(op: "concatChannels", detail: "no tensors")
        }
        let (n, _, h, w) = try first.nchw("concatChannels")
        var total = 0
        for x in xs {
            let d = try x.nchw("concatChannels")
            guard d.n == n, d.h == h, d.w == w else {
                throw TensorError.shapeMismatch(op: "concatChannels", detail: "\(x.shape) vs \(first.shape)")
            }
            total += d.c
        }
        var y = Tensor(uninitializedShape: [n, total, h, w])
        let plane = h &* w
        y.withUnsafeMutablePointer { yp in
            var offset = 0
            for x in xs {
                let c = x.shape[1]
                x.withUnsafePointer { xp in
                    for i in 0..<n {
                        (yp + (i &* total &+ offset) &* plane).update(from: xp + i &* c &* plane, count: c &* plane)
                    }
                }
                offset &+= c
            }
        }
        return y
    }

    /// Channels `range` of an NCHW tensor (x[:, range]).
    public static func sliceChannels(_ x: Tensor, _ range: Range<Int>) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("sliceChannels")
        guard range.lowerBound >= 0, range.upperBound <= c, !range.isEmpty else {
            throw TensorError.invalidArgument(op: "sliceChannels", detail: "channels \(range) of \(c)")
        }
        let plane = h &* w, k = range.count
        var y = Tensor(uninitializedShape: [n, k, h, w])
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in
                for i in 0..<n {
                    (yp + i &* k &* plane).update(from: xp + (i &* c &+ range.lowerBound) &* plane, count: k &* plane)
                }
            }
        }
        return y
    }

    /// Adjoint of `sliceChannels`: gradient placed into channels `range` of a zero tensor with `channels` channels.
    public static func sliceChannelsBackward(gradOutput dy: Tensor, channels: Int, _ range: Range<Int>) throws -> Tensor {
        let (n, k, h, w) = try dy.nchw("sliceChannelsBackward")
        guard k == range.count, range.upperBound <= channels else {
            throw TensorError.shapeMismatch(op: "sliceChannelsBackward", detail: "\(dy.shape) for channels \(range)")
        }
        let plane = h &* w
        var dx = Tensor(zeros: [n, channels, h, w])
        dy.withUnsafePointer { g in
            dx.withUnsafeMutablePointer { d in
                for i in 0..<n {
                    (d + (i &* channels &+ range.lowerBound) &* plane).update(from: g + i &* k &* plane, count: k &* plane)
                }
            }
        }
        return dx
    }

    /// Permutes the axes of a rank-4 tensor (x.permute(dims)), e.g. [0, 2, 3, 1] for NCHW → NHWC.
    public static func permute(_ x: Tensor, _ dims: [Int]) throws -> Tensor {
        guard x.rank == 4, dims.count == 4, Set(dims) == Set(0..<4) else {
            throw TensorError.invalidArgument(op: "permute", detail: "dims \(dims) for shape \(x.shape)")
        }
        let inStrides = [x.shape[1] * x.shape[2] * x.shape[3], x.shape[2] * x.shape[3], x.shape[3], 1]
        let shape = dims.map { x.shape[$0] }
        let st = dims.map { inStrides[$0] }
        var y = Tensor(uninitializedShape: shape)
        x.withUnsafePointer { src in
            y.withUnsafeMutableBufferPointer { yb in
                var k = 0
                for a in 0..<shape[0] { for b in 0..<shape[1] { for c in 0..<shape[2] {
                    let base = a &* st[0] &+ b &* st[1] &+ c &* st[2], s3 = st[3]
                    for d in 0..<shape[3] { yb[k &+ d] = src[base &+ d &* s3] }
                    k &+= shape[3]
                } } }
            }
        }
        return y
    }

    /// The inverse permutation of `dims`.
    public static func inversePermutation(_ dims: [Int]) -> [Int] {
        var inv = [Int](repeating: 0, count: dims.count)
        for (i, d) in dims.enumerated() { inv[d] = i }
        return inv
    }
}
