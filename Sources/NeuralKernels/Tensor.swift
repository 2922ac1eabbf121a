/// Heap storage of a tensor: 64-byte aligned Float32 buffer plus a cache of derived data
/// (e.g. Winograd-transformed weights) that is dropped whenever the buffer is written.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let cacheLock = Lock()
    private var derived: [String: any Sendable] = [:]

    init(count: Int, zeroed: Bool) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) &* 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    func copy() -> TensorStorage {
        let s = TensorStorage(count: count, zeroed: false)
        s.pointer.update(from: pointer, count: count)
        return s
    }

    /// Cached value derived from the contents, computed once by `make` until the contents change.
    func cached<T: Sendable>(_ key: String, _ make: () throws -> T) rethrows -> T {
        if let hit = cacheLock.withLock({ derived[key] }) as? T { return hit }
        let value = try make()
        cacheLock.withLock { derived[key] = value }
        return value
    }

    func invalidateCache() {
        cacheLock.withLock { if !derived.isEmpty { derived.removeAll() } }
    }
}

/// A dense Float32 tensor with value semantics (copy on write). Images are NCHW, contiguous, row-major.
/// Rank 0 (`shape == []`) holds one scalar.
public struct Tensor: Sendable, CustomStringConvertible {
    public let shape: [Int]
    public private(set) var storage: TensorStorage

    /// Number of elements (product of `shape`).
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    /// A zero-filled tensor.
    public init(zeros shape: [Int]) {
        self.shape = shape
        storage = TensorStorage(count: Tensor.elementCount(shape), zeroed: true)
    }

    /// A tensor filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.shape = shape
        storage = TensorStorage(count: Tensor.elementCount(shape), zeroed: false)
        storage.pointer.initialize(repeating: value, count: storage.count)
    }

    /// A tensor from row-major scalars; throws if the count does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        let n = Tensor.elementCount(shape)
        guard n == scalars.count else {
            throw TensorError.shapeMismatch(op: "Tensor(shape:scalars:)",
                                            detail: "shape \(shape) needs \(n) scalars, got \(scalars.count)")
        }
        self.shape = shape
        storage = TensorStorage(count: n, zeroed: false)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: n) }
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        shape = []
        storage = TensorStorage(count: 1, zeroed: false)
        storage.pointer.initialize(to: scalar)
    }

    /// An uninitialized tensor: every element must be written before it is read.
    public init(uninitializedShape shape: [Int]) {
        self.shape = shape
        storage = TensorStorage(count: Tensor.elementCount(shape), zeroed: false)
    }

    init(shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
    }

    static func elementCount(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { precondition(d >= 0, "negative dimension in shape \(shape)"); n *= d }
        return n
    }

    /// All elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The first element (the value of a scalar tensor).
    public var item: Float { count > 0 ? storage.pointer[0] : .nan }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Mutable access; copies first if the storage is shared, and drops cached derived data.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() } else { storage.invalidateCache() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Read-only base pointer; valid while this tensor (or a copy sharing its storage) is alive.
    public var unsafePointer: UnsafePointer<Float> { UnsafePointer(storage.pointer) }

    /// The same data with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }), Tensor.elementCount(newShape) == count else {
            throw TensorError.shapeMismatch(op: "reshaped", detail: "cannot view \(shape) as \(newShape)")
        }
        return Tensor(shape: newShape, storage: storage)
    }

    /// Element at a multi-index (bounds-checked; for tests and small code paths, not hot loops).
    public subscript(_ index: Int...) -> Float {
        get { storage.pointer[flatIndex(index)] }
        set {
            let i = flatIndex(index)
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index rank \(index.count) for shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    /// The four dimensions of an NCHW tensor, or a thrown shape error naming `op`.
    public func nchw(_ op: String) throws -> (n: Int, c: Int, h: Int, w: Int) {
        guard shape.count == 4 else {
            throw TensorError.shapeMismatch(op: op, detail: "expected an NCHW tensor, got shape \(shape)")
        }
        return (shape[0], shape[1], shape[2], shape[3])
    }

    public var description: String {
        let preview = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }

    /// Largest absolute elementwise difference to `other` (shapes must match, else +infinity).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        guard shape == other.shape else { return .infinity }
        var m: Float = 0
        let a = storage.pointer, b = other.storage.pointer
        for i in 0..<count { m = max(m, abs(a[i] - b[i])) }
        return m
    }
}
