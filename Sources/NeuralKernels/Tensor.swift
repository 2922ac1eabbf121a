/// Heap storage of a tensor: 64-byte aligned Float32 buffer plus a cache of derived data
/// (e.g. Winograd-transformed weights) that is dropped whenever the buffer is written.
/// The buffer is reachable only through `Tensor`'s scoped accessors, so every write goes through copy-on-write.
public final class TensorStorage: @unchecked Sendable {
    /// Base of the buffer; at least one element is allocated, so it is valid (if unreadable) for an empty tensor.
    fileprivate let pointer: UnsafeMutablePointer<Float>
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
        _ = UnsafeMutableBufferPointer(start: storage.pointer, count: n).initialize(fromContentsOf: scalars)
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
    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// The first element (the value of a scalar tensor).
    public var item: Float { count > 0 ? withUnsafePointer { $0[0] } : .nan }

    /// Read-only access to the elements; the buffer is valid only inside `body`.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Read-only access through the base pointer (never nil, also for an empty tensor: storage always allocates
    /// at least one element). `count` elements are readable; the pointer is valid only inside `body`.
    public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafePointer(storage.pointer))
    }

    /// Mutable access; copies first if the storage is shared, and drops cached derived data.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUniqueForWriting()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Mutable access through the base pointer (never nil; `count` elements are writable). Like
    /// `withUnsafeMutableBufferPointer` it copies first if the storage is shared and drops cached derived data;
    /// the pointer is valid only inside `body`.
    public mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        makeUniqueForWriting()
        return try body(storage.pointer)
    }

    /// Copy-on-write: afterwards this tensor owns its storage alone, and no stale derived data is cached.
    private mutating func makeUniqueForWriting() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() } else { storage.invalidateCache() }
    }

    /// The same data with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }), Tensor.elementCount(newShape) == count else {
            throw TensorError.shapeMismatch(op: "reshaped", detail: "cannot view \(shape) as \(newShape)")
        }
        return Tensor(shape: newShape, storage: storage)
    }

    /// Element at a multi-index (bounds-checked; for tests and small code paths, not hot loops).
    public subscript(_ index: Int...) -> Float {
        get {
            let i = flatIndex(index)
            return withUnsafePointer { $0[i] }
        }
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
        return withUnsafePointer { a in
            other.withUnsafePointer { b in
                var m: Float = 0
                for i in 0..<count { m = max(m, abs(a[i] - b[i])) }
                return m
            }
        }
    }
}

extension Optional where Wrapped == Tensor {
    /// The tensor's base pointer, or nil when there is no tensor, valid only inside `body` (optional bias / weight).
    func withUnsafePointer<R>(_ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        switch self {
        case .some(let tensor): return try tensor.withUnsafePointer(body)
        case .none: return try body(nil)
        }
    }
}

extension Optional where Wrapped == Tensor {
    /// Mutable access to the tensor's storage, or nil for `.none` (the tensor is moved out while `body` runs, so
    /// writing does not copy it).
    mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>?) throws -> R) rethrows -> R {
        guard var tensor = self else { return try body(nil) }
        self = nil
        defer { self = tensor }
        return try tensor.withUnsafeMutablePointer { try body($0) }
    }
}
