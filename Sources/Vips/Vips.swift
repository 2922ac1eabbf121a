// Start-up and global settings of libvips: init (once, thread-safe), version check, operation lookup, concurrency,
// leak checking, and the live-object counts that tests use to prove nothing leaks.
internal import CVips
import Foundation

/// Entry point to libvips. Every other API calls `start()` itself, so calling it explicitly is optional but lets
/// a program fail early with a clear message.
public enum Vips {
    /// What `start()` found.
    public struct StartInfo: Sendable, Equatable {
        /// The libvips version, e.g. "8.14.1".
        public let version: String
        /// Whether the OpenSlide loader (a dynamic module on Debian) is available.
        public let hasOpenSlide: Bool
    }

    /// The oldest libvips this wrapper supports.
    public static let minimumVersion = (major: 8, minor: 10)

    // Swift runs a static `let` initializer exactly once, thread-safely: this is the idempotent start.
    private static let started: Result<StartInfo, VipsError> = {
        if stainkit_init("stainkit") != 0 {
            return .failure(VipsError.fromBuffer(context: "vips_init"))
        }
        let major = Int(vips_version(0)), minor = Int(vips_version(1))
        if (major, minor) < (minimumVersion.major, minimumVersion.minor) {
            return .failure(VipsError("libvips \(major).\(minor) is too old; StainKit needs "
                + "\(minimumVersion.major).\(minimumVersion.minor) or newer"))
        }
        captureWarnings()
        let version = String(cString: vips_version_string())
        let hasOpenSlide = vips_type_find("VipsOperation", "openslideload") != 0
        return .success(StartInfo(version: version, hasOpenSlide: hasOpenSlide))
    }()

    /// Initializes libvips (once; later calls return the same result) and checks its version.
    @discardableResult
    public static func start() throws -> StartInfo {
        try started.get()
    }

    /// The libvips version string, e.g. "8.14.1".
    public static var version: String { (try? start().version) ?? "unavailable" }

    /// Whether libvips knows an operation of this nickname (e.g. "openslideload", "tiffsave").
    public static func hasOperation(_ nickname: String) -> Bool {
        guard (try? start()) != nil else { return false }
        return vips_type_find("VipsOperation", nickname) != 0
    }

    /// Sets the number of libvips worker threads per pipeline (0 restores the default, the core count).
    public static func setConcurrency(_ threads: Int) {
        _ = try? start()
        vips_concurrency_set(Int32(clamping: max(0, threads)))
    }

    /// Current number of libvips worker threads per pipeline.
    public static var concurrency: Int {
        _ = try? start()
        return Int(vips_concurrency_get())
    }

    /// Turns libvips leak checking (tracking of objects, regions and reference-counted areas; leaks are reported
    /// at shutdown) on or off. libvips aborts when it frees an area it never tracked, so turning it on is refused
    /// (returns false) while any libvips object is alive; the operation cache is emptied first. Call it at start-up,
    /// before any image exists. Returns whether leak checking is now in the requested state.
    @discardableResult
    public static func setLeakCheck(_ enabled: Bool) -> Bool {
        _ = try? start()
        leakCheck.lock.lock()
        defer { leakCheck.lock.unlock() }
        if enabled == leakCheck.enabled { return true }
        if enabled {
            dropOperationCache()
            guard liveObjectCount().objects == 0 else { return false }
        }
        vips_leak_set(enabled ? 1 : 0)
        leakCheck.enabled = enabled
        return true
    }

    /// Whether libvips leak checking is on.
    public static var isLeakCheckEnabled: Bool {
        leakCheck.lock.lock()
        defer { leakCheck.lock.unlock() }
        return leakCheck.enabled
    }

    private final class LeakCheckState: @unchecked Sendable {
        let lock = NSLock()
        /// libvips turns leak checking on at start-up when the environment has VIPS_LEAK (scripts/test sets it).
        var enabled = ProcessInfo.processInfo.environment["VIPS_LEAK"] != nil
    }

    private static let leakCheck = LeakCheckState()

    /// Empties the libvips operation cache (which keeps recent operations and their outputs alive), then restores
    /// its size limit. Call before `liveObjectCount()` to count only objects that someone still holds.
    public static func dropOperationCache() {
        _ = try? start()
        let limit = vips_cache_get_max()
        vips_cache_set_max(0)
        vips_cache_set_max(limit)
    }

    /// Sets the maximum number of operations libvips keeps in its cache (0 disables caching).
    public static func setOperationCacheMax(_ operations: Int) {
        _ = try? start()
        vips_cache_set_max(Int32(clamping: max(0, operations)))
    }

    /// Counts every live libvips object (images, operations, regions, ...) and the live images among them, by
    /// walking libvips' own table of all objects.
    public static func liveObjectCount() -> (objects: Int, images: Int) {
        _ = try? start()
        var counts = (objects: 0, images: 0)
        let stopped = withUnsafeMutablePointer(to: &counts) { pointer in
            vips_object_map({ item, context, _ in
                // `context` is always `pointer` below; should libvips hand over none, stop the walk (reported below).
                guard let counts = context?.assumingMemoryBound(to: (objects: Int, images: Int).self) else {
                    return item
                }
                counts.pointee.objects += 1
                if stainkit_is_image(item) != 0 { counts.pointee.images += 1 }
                return nil
            }, pointer, nil)
        }
        // A walk stopped early has not seen every object: report it as uncountable (so no leak check passes on it)
        // rather than as a low count.
        return stopped == nil ? counts : (objects: Int.max, images: Int.max)
    }

    /// Prints every live libvips object to stdout (debugging aid for leaks).
    public static func printLiveObjects() {
        _ = try? start()
        vips_object_print_all()
    }
}
