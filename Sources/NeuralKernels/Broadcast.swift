/// Binary elementwise kernels with broadcasting: each operand's dims either equal the output's or are 1
/// (ranks must match; rank ≤ 4).
extension Kernels {
    public enum BinaryOp: Sendable { case add, sub, mul, div }

    /// The broadcast result shape of a and b, or a thrown shape error.
    public static func broadcastShape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        guard a.count == b.count, a.count <= 4 else {
            throw TensorError.shapeMismatch(op: op, detail: "cannot broadcast \(a) with \(b) (same rank ≤ 4 needed)")
        }
        var out = [Int]()
        for (x, y) in zip(a, b) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else {
                throw TensorError.shapeMismatch(op: op, detail: "cannot broadcast \(a) with \(b)")
            }
        }
        return out
    }

    public static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.add, a, b) }
    public static func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.sub, a, b) }
    public static func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.mul, a, b) }
    public static func div(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.div, a, b) }

    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        if a.shape == b.shape {
            switch op {
            case .add: return zipMap(a, b, AddFunctor())
            case .sub: return zipMap(a, b, SubFunctor())
            case .mul: return zipMap(a, b, MulFunctor())
            case .div: return zipMap(a, b, DivFunctor())
            }
        }
        let shape = try broadcastShape(a.shape, b.shape, op: "\(op)")
        let s4 = pad4(shape), sa = strides4(pad4(a.shape), s4), sb = strides4(pad4(b.shape), s4)
        var y = Tensor(uninitializedShape: shape)
        a.withUnsafePointer { pa in
            b.withUnsafePointer { pb in
                y.withUnsafeMutablePointer { yp in
                    var k = 0
                    for i0 in 0..<s4[0] { for i1 in 0..<s4[1] { for i2 in 0..<s4[2] {
                        let baseA = i0 &* sa[0] &+ i1 &* sa[1] &+ i2 &* sa[2]
                        let baseB = i0 &* sb[0] &+ i1 &* sb[1] &+ i2 &* sb[2]
                        let qa = pa + baseA, qb = pb + baseB, sa3 = sa[3], sb3 = sb[3]
                        let d = yp + k
                        switch op {
                        case .add: for i in 0..<s4[3] { d[i] = qa[i &* sa3] + qb[i &* sb3] }
                        case .sub: for i in 0..<s4[3] { d[i] = qa[i &* sa3] - qb[i &* sb3] }
                        case .mul: for i in 0..<s4[3] { d[i] = qa[i &* sa3] * qb[i &* sb3] }
                        case .div: for i in 0..<s4[3] { d[i] = qa[i &* sa3] / qb[i &* sb3] }
                        }
                        k &+= s4[3]
                    } } }
                }
            }
        }
        return y
    }

    /// Sums `x` over the dims where `shape` has 1 (the adjoint of broadcasting `shape` up to x's shape).
    public static func sumToShape(_ x: Tensor, _ shape: [Int]) throws -> Tensor {
        if x.shape == shape { return x }
        let out = try broadcastShape(x.shape, shape, op: "sumToShape")
        guard out == x.shape else {
            throw TensorError.shapeMismatch(op: "sumToShape", detail: "\(x.shape) cannot reduce to \(shape)")
        }
        let s4 = pad4(x.shape), st = strides4(pad4(shape), s4)
        var y = Tensor(zeros: shape)
        x.withUnsafePointer { px in
            y.withUnsafeMutablePointer { yp in
                var k = 0
                for i0 in 0..<s4[0] { for i1 in 0..<s4[1] { for i2 in 0..<s4[2] {
                    let q = yp + (i0 &* st[0] &+ i1 &* st[1] &+ i2 &* st[2])
                    let s3 = st[3]
                    if s3 == 0 { q[0] += simdSum(px + k, s4[3]) } else { for i in 0..<s4[3] { q[i] += px[k &+ i] } }
                    k &+= s4[3]
                } } }
            }
        }
        return y
    }

    private static func pad4(_ s: [Int]) -> [Int] { Array(repeating: 1, count: 4 - s.count) + s }

    /// Element strides of `shape` (already rank 4) inside `out`, 0 where broadcast.
    private static func strides4(_ shape: [Int], _ out: [Int]) -> [Int] {
        var strides = [0, 0, 0, 0], acc = 1
        for d in stride(from: 3, through: 0, by: -1) {
            strides[d] = (shape[d] == 1 && out[d] != 1) ? 0 : acc
            acc *= shape[d]
        }
        return strides
    }
}
