import CBLAS
import Foundation

/// What OpenBLAS runs on, and the fix for a trap seen on these VMs: the DYNAMIC_ARCH build does not recognise the
/// virtual "Intel Xeon Processor" model and falls back to its generic "Prescott" (SSE3) kernels, about 5× slower
/// than the AVX-512 ones (sgemm 1024³ at 2 threads, measured: Prescott ~20–28 GFLOP/s, SkylakeX ~141–144).
/// OpenBLAS picks its kernels when the library loads, so the choice has to come from the environment
/// (`OPENBLAS_CORETYPE`) before the process starts.
public enum BLASInfo {
    /// Kernel family OpenBLAS selected (e.g. "SkylakeX", "Haswell", "Prescott").
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS build configuration string.
    public static var config: String { String(cString: openblas_get_config()) }

    /// Kernel families that are generic fallbacks rather than a tuned match for a modern x86 CPU.
    static let fallbackCores: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom",
                                             "katmai", "coppermine", "northwood", "banias", "sandybridge", "unknown"]

    /// The `OPENBLAS_CORETYPE` this CPU supports, from /proc/cpuinfo flags: "SkylakeX" (AVX-512 F/CD/BW/DQ/VL),
    /// "Haswell" (AVX2 + FMA), or nil.
    public static var cpuCoreType: String? {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The core type to request when OpenBLAS fell back to a generic kernel on a CPU that supports a tuned one,
    /// else nil (also nil when `OPENBLAS_CORETYPE` is already set).
    public static var recommendedCoreType: String? {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              fallbackCores.contains(coreName.lowercased()) else { return nil }
        return cpuCoreType
    }

    /// How long (2^n cycles) idle OpenBLAS threads spin, yielding, before they sleep. The default (n = 28) keeps the
    /// second thread spinning through the single-threaded work between GEMMs, where it takes the core from that
    /// work: ~20 % of a training step was `sched_yield` (perf). 4 is OpenBLAS' minimum; measured on 2 cores, a
    /// G+F training step at 256² went from 3.42–3.70 s to 2.74–3.25 s and a G forward from 0.43 to 0.36 s.
    static let recommendedThreadTimeout = "4"

    /// The OpenBLAS environment this process should run with, where it differs from the current one: a tuned core
    /// type when OpenBLAS fell back to a generic one, and a short thread spin, unless the environment sets them.
    public static var recommendedEnvironment: [String: String] {
        var changes: [String: String] = [:]
        if let core = recommendedCoreType { changes["OPENBLAS_CORETYPE"] = core }
        if ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"] == nil {
            changes["OPENBLAS_THREAD_TIMEOUT"] = recommendedThreadTimeout
        }
        return changes
    }

    /// Re-executes the current program (same arguments) with `recommendedEnvironment` set, when it is not empty.
    /// Call first thing in `main`, before any threads start. Returns normally when no re-exec is needed or when it
    /// fails (then the process simply continues as it is).
    public static func relaunchWithRecommendedEnvironmentIfNeeded() {
        #if os(Linux)
        let changes = recommendedEnvironment
        guard !changes.isEmpty else { return }
        for (name, value) in changes { setenv(name, value, 1) }
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        #endif
    }
}
