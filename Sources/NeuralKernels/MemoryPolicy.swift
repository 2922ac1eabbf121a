import CBLAS

/// How the process's allocator treats large freed blocks.
///
/// glibc serves large allocations (a training step's activations and gradients: 4–16 MB each at 256²) with fresh
/// `mmap`s and unmaps them on free, so each step pays page faults and kernel page-zeroing for much of its new
/// tensors: measured 0.17 s of kernel time per paper-size student step (of ~3 s on 2 cores), 0.07 s with this
/// policy. `keepFreedMemory()` makes the allocator serve them from its heap and keep freed blocks for reuse (no
/// `mmap`, no trimming); the price is that the process keeps its peak heap (≈ peak live memory) until it exits.
/// For long training runs and benchmarks, not for short inference calls.
public enum MemoryPolicy {
    /// Keeps freed large blocks mapped for reuse (glibc: `M_MMAP_MAX` 0, `M_TRIM_THRESHOLD` −1). Process-wide;
    /// a no-op where the C library is not glibc. Returns whether the allocator accepted the settings.
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        #if os(Linux)
        let noMmap = mallopt(M_MMAP_MAX, 0)
        let noTrim = mallopt(M_TRIM_THRESHOLD, -1)
        return noMmap == 1 && noTrim == 1
        #else
        return false
        #endif
    }
}
