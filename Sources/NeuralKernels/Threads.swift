import CBLAS
import Dispatch
import Foundation

/// A small mutual-exclusion lock.
final class Lock: @unchecked Sendable {
    private let lock = NSLock()
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// The one thread policy of the kernels: OpenBLAS gets `count` threads, and every parallel loop written here
/// uses at most `count` workers. BLAS is never called from inside those loops, so the two never multiply.
public enum ComputeThreads {
    private static let state = ThreadState()

    /// Sets the thread count (clamped to ≥ 1) for OpenBLAS and for the kernels' own loops.
    public static func set(_ n: Int) {
        let n = max(1, n)
        state.set(n)
        openblas_set_num_threads(Int32(n))
    }

    /// Current thread count (defaults to the number of active processors).
    public static var count: Int { state.get() }
}

private final class ThreadState: @unchecked Sendable {
    private let lock = Lock()
    private var value = max(1, ProcessInfo.processInfo.activeProcessorCount)
    func get() -> Int { lock.withLock { value } }
    func set(_ n: Int) { lock.withLock { value = n } }
}

/// Runs `body(range)` over `0..<count` split into at most `ComputeThreads.count` contiguous chunks in parallel.
/// Small jobs (`count * costPerItem` below ~64k) run inline. `body` must not call BLAS.
@inline(__always)
func parallelChunks(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = min(ComputeThreads.count, count)
    if threads <= 1 || count &* costPerItem < 65_536 {
        if count > 0 { body(0..<count) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lo = count * t / threads, hi = count * (t + 1) / threads
            if lo < hi { box.value(lo..<hi) }
        }
    }
}

/// Wraps a non-Sendable value for handing to concurrentPerform, where the caller guarantees disjoint access.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
