import CBLAS

/// Row-major C = alpha·op(A)·op(B) + beta·C through OpenBLAS (threads per `ComputeThreads`).
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        if beta == 0 {
            for i in 0..<m { (c + i &* ldc).update(repeating: 0, count: n) }
        } else if beta != 1 {
            for i in 0..<m { let r = c + i &* ldc; for j in 0..<n { r[j] *= beta } }
        }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Scratch buffer of `count` floats for the duration of `body`. Large buffers come from a small reuse pool: fresh
/// multi-megabyte allocations are returned to the OS by malloc and page-faulted in again on every call otherwise.
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let n = max(count, 1)
    if n < ScratchPool.minPooled {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n &* 4, alignment: 64)
        defer { raw.deallocate() }
        return try body(raw.bindMemory(to: Float.self, capacity: n))
    }
    let buffer = ScratchPool.shared.take(n)
    defer { ScratchPool.shared.give(buffer) }
    return try body(buffer.pointer)
}

extension Kernels {
    /// Frees the pooled scratch buffers (at most 6 × 32 MB are kept between ops).
    public static func releaseScratchBuffers() { ScratchPool.shared.drain() }
}

/// Reusable large scratch buffers (at most `maxKept` kept, each at most `maxPooled` floats).
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()
    static let minPooled = 1 << 16       // 256 KB
    static let maxPooled = 1 << 23       // 32 MB
    static let maxKept = 6

    struct Buffer { let pointer: UnsafeMutablePointer<Float>; let capacity: Int }
    private let lock = Lock()
    private var free: [Buffer] = []

    func take(_ n: Int) -> Buffer {
        let hit: Buffer? = lock.withLock {
            // Smallest free buffer that fits.
            guard let i = free.indices.filter({ free[$0].capacity >= n }).min(by: { free[$0].capacity < free[$1].capacity })
            else { return nil }
            return free.remove(at: i)
        }
        if let hit { return hit }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n &* 4, alignment: 64)
        return Buffer(pointer: raw.bindMemory(to: Float.self, capacity: n), capacity: n)
    }

    func drain() {
        let all: [Buffer] = lock.withLock { let f = free; free = []; return f }
        for b in all { UnsafeMutableRawPointer(b.pointer).deallocate() }
    }

    func give(_ b: Buffer) {
        let evicted: Buffer? = lock.withLock {
            guard b.capacity <= ScratchPool.maxPooled else { return b }
            free.append(b)
            if free.count > ScratchPool.maxKept, let i = free.indices.min(by: { free[$0].capacity < free[$1].capacity }) {
                return free.remove(at: i)
            }
            return nil
        }
        if let evicted { UnsafeMutableRawPointer(evicted.pointer).deallocate() }
    }
}
