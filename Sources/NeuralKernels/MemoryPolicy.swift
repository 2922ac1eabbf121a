import CBLAS

/// How the process's allocator treats large freed blocks.
///
/// glibc serves large allocations (a training step's activations and gradients: 4–16 MB each at 256²) with fresh
/// `mmap`s and unmaps them on free, so every step pays a page fault and a kernel page-zeroing per 4 KB of every new
/// tensor: measured ~1.4 GB of fresh pages per student step at 256², about 15 % of its time. `keepFreedMemory()`
/// makes the allocator serve them from its heap and keep freed blocks for reuse (no `mmap`, no trimming), so after
/// the first step the pages stay mapped; the price is that the process keeps its peak heap (≈ peak live memory)
/// until it exits. For long training runs and benchmarks, not for short inference calls.
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
