// Progress reports and cancellation for writes: a private copy of the image gets libvips' "eval" signal (which
// every downstream image of the save pipeline reports through); returning false from the callback kills the
// computation, so the write throws and, being atomic, leaves no file (also when the cancel comes after the last tile).
internal import CVips
import Foundation

/// How far a computation has got, as libvips reports it (from a libvips thread, once per batch of tiles).
public struct VipsProgress: Sendable {
    public let percent: Int
    public let pixelsDone: Int
    public let pixelsTotal: Int
    public let elapsedSeconds: Int
    public let etaSeconds: Int
}

extension VipsImage {
    /// Saves like `write(to:options:)`, calling `progress` as tiles complete (on a libvips thread; it must be quick
    /// and thread-safe) and once more with a 100% report when the saver has finished, before the file is moved into
    /// place. Return false from `progress` to cancel: the write then throws a VipsError and leaves neither the file
    /// nor a temporary one.
    public func write(to path: String, options: [String: VipsValue] = [:],
                      progress: @escaping @Sendable (VipsProgress) -> Bool) throws {
        // A fresh (uncached) copy, so the signal and kill flag never touch an image someone else is writing.
        let monitored = try OperationRunner.run("copy", ["in": .image(self)], cached: false).image()
        vips_image_set_progress(monitored.pointer, 1)
        let progressHandler = ProgressHandler(progress)
        let box = Unmanaged.passRetained(progressHandler).toOpaque()
        let handler = stainkit_connect_eval(monitored.pointer, { image, report, data in
            guard let image, let report, let data else { return }
            let handler = Unmanaged<ProgressHandler>.fromOpaque(data).takeUnretainedValue()
            let state = VipsProgress(percent: Int(report.pointee.percent), pixelsDone: Int(report.pointee.npels),
                                     pixelsTotal: Int(report.pointee.tpels), elapsedSeconds: Int(report.pointee.run),
                                     etaSeconds: Int(report.pointee.eta))
            if !handler.callback(state) {
                handler.cancel()
                vips_image_set_kill(image, 1)
            }
        }, box, { data, _ in
            if let data { Unmanaged<ProgressHandler>.fromOpaque(data).release() }
        })
        defer { g_signal_handler_disconnect(monitored.pointer, handler) }
        let started = Date()
        try atomicSave(monitored, to: path, options: options, cancelled: {
            // libvips may skip "eval" for tiny images: always end with one 100% report, which may still cancel.
            let total = width * height
            let final = VipsProgress(percent: 100, pixelsDone: total, pixelsTotal: total,
                                     elapsedSeconds: Int(Date().timeIntervalSince(started)), etaSeconds: 0)
            return progressHandler.isCancelled || !progress(final)
        })
    }
}

/// Holds the Swift callback for the C signal handler.
private final class ProgressHandler: @unchecked Sendable {
    let callback: @Sendable (VipsProgress) -> Bool
    private let lock = NSLock()
    private var cancelled = false

    init(_ callback: @escaping @Sendable (VipsProgress) -> Bool) { self.callback = callback }

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Whether the callback ever asked to stop (even after the last tile, when libvips no longer checks).
    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
