// Progress of any libvips evaluation of an image (statistics passes such as hist_find, or writes), reported through
// the image's "eval" signal, which libvips propagates from every image derived from this one.
internal import CVips
import Foundation

extension VipsImage {
    /// Runs `body` (which evaluates this image, e.g. writes it or computes its histogram) while `report` receives the
    /// fraction done (0...1). libvips propagates progress to images derived from this one, so savers that convert
    /// the image internally still report here.
    public func observingProgress<T>(_ report: @escaping @Sendable (Double) -> Void, _ body: () throws -> T) rethrows -> T {
        let box = Unmanaged.passRetained(ProgressBox(report))
        defer { box.release() }
        vips_image_set_progress(pointer, 1)
        let callback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<VipsProgress>?,
                                      UnsafeMutableRawPointer?) -> Void = { _, progress, user in
            guard let progress, let user else { return }
            Unmanaged<ProgressBox>.fromOpaque(user).takeUnretainedValue().report(Double(progress.pointee.percent) / 100)
        }
        let handler = g_signal_connect_data(UnsafeMutableRawPointer(pointer), "eval",
                                            unsafeBitCast(callback, to: GCallback.self), box.toOpaque(), nil,
                                            GConnectFlags(rawValue: 0))
        defer {
            g_signal_handler_disconnect(UnsafeMutableRawPointer(pointer), handler)
            vips_image_set_progress(pointer, 0)
        }
        return try body()
    }
}

/// Holds the Swift closure for the C callback.
private final class ProgressBox: @unchecked Sendable {
    let report: @Sendable (Double) -> Void
    init(_ report: @escaping @Sendable (Double) -> Void) { self.report = report }
}
