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

/// Runs `body(range)` over `0..<count` in parallel on at most `ComputeThreads.count` workers: the range is cut into
/// up to 4 contiguous chunks per worker, handed out one at a time, so a worker descheduled on a busy machine does
/// not hold up a fixed share. Small jobs (`count * costPerItem` below ~64k) run inline. `body` must not call BLAS,
/// and must compute each item alone (results may not depend on where the chunks are cut).
@inline(__always)
func parallelChunks(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = min(ComputeThreads.count, count)
    if threads <= 1 || count &* costPerItem < 65_536 {
        if count > 0 { body(0..<count) }
        return
    }
    let pieces = min(count, threads &* 4)
    handOut(pieces, workers: threads) { t in
        let lo = count * t / pieces, hi = count * (t + 1) / pieces
        if lo < hi { body(lo..<hi) }
    }
}

/// Runs `body(i)` for every i in `0..<items` on `workers` threads, handing the items out one at a time (a worker
/// descheduled on a busy machine does not hold up a fixed share). The one work-sharing loop of `parallelChunks` and
/// `parallelBLASCalls`.
private func handOut(_ items: Int, workers: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body)
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.next()
                if i >= items { break }
                box.value(i)
            }
        }
    }
}

/// Wraps a non-Sendable value for handing to concurrentPerform, where the caller guarantees disjoint access.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Runs `body(i)` for i in `0..<count` on at most `ComputeThreads.count` workers, items handed out one at a time
/// (a worker that is descheduled on a busy machine does not hold up a fixed share), with OpenBLAS set to one
/// thread meanwhile: for many independent mid-sized GEMMs (Winograd's 36), so that the parallelism is over the
/// GEMMs rather than inside each one, never both. `body` may call BLAS. Calls must not nest.
func parallelBLASCalls(_ count: Int, _ body: (Int) -> Void) {
    let threads = min(ComputeThreads.count, count)
    if threads <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(Int32(ComputeThreads.count)) }
    handOut(count, workers: threads, body)
}

/// A shared counter handing out 0, 1, 2, … to the workers of `handOut`.
final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}
