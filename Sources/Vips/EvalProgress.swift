// Progress of any libvips evaluation of an image (statistics passes such as hist_find, or writes), reported through
// the image's "eval" signal, which libvips propagates from every image derived from this one.
internal import CVips
import Foundation

extension VipsImage {
    /// Runs `body` (which evaluates this image, e.g. computes its histogram or statistics) while `report` receives
    /// the fraction done (0...1) from libvips threads, and a final 1.0 when `body` has finished. When `report`
    /// returns false the computation is stopped and this throws (libvips may not report at all on small images, so
    /// the final report can still cancel).
    public func observingProgress<T>(_ report: @escaping @Sendable (Double) -> Bool, _ body: () throws -> T) throws -> T {
        let observer = EvalObserver(report)
        observer.synchronize()
        let box = Unmanaged.passRetained(observer).toOpaque()
        vips_image_set_progress(pointer, 1)
        let handler = stainkit_connect_eval(pointer, { image, progress, data in
            guard let image, let progress, let data else { return }
            let observer = Unmanaged<EvalObserver>.fromOpaque(data).takeUnretainedValue()
            observer.synchronize()
            if !observer.report(Double(progress.pointee.percent) / 100) {
                vips_image_set_kill(image, 1)
            }
        }, box, { data, _ in
            if let data { Unmanaged<EvalObserver>.fromOpaque(data).release() }
        })
        defer {
            g_signal_handler_disconnect(pointer, handler)
            vips_image_set_progress(pointer, 0)
            vips_image_set_kill(pointer, 0)
        }
        let result = try body()
        guard report(1) else { throw VipsError("cancelled") }
        return result
    }
}

/// Holds the Swift closure for the C callback. Written on the calling thread, read on libvips threads: the lock
/// pair makes that ordering visible to ThreadSanitizer (see `GenerateContextBase`).
private final class EvalObserver: @unchecked Sendable {
    let report: @Sendable (Double) -> Bool
    private static let publication = NSLock()
    init(_ report: @escaping @Sendable (Double) -> Bool) { self.report = report }

    func synchronize() {
        Self.publication.lock()
        Self.publication.unlock()
    }
}
