// libvips' warnings (g_log domain "VIPS"): captured instead of printed, so a damaged file does not flood stderr with
// hundreds of identical lines, and so callers can check them — a loader that meets damage it can read past warns
// ("not enough data", "Corrupt JPEG data") rather than failing.
internal import CVips
import Foundation

extension Vips {
    /// Warnings libvips gave since the last `takeWarnings()`, each text once, in order (at most 100 kept).
    public static func takeWarnings() -> [String] {
        WarningLog.shared.take()
    }

    /// Routes libvips' g_log warnings into the log. Called once by `start()`.
    static func captureWarnings() {
        g_log_set_handler("VIPS", GLogLevelFlags(rawValue: G_LOG_LEVEL_WARNING.rawValue | G_LOG_LEVEL_MESSAGE.rawValue),
                          { _, _, message, _ in
            guard let message else { return }
            WarningLog.shared.add(String(cString: message))
        }, nil)
    }
}

/// Thread-safe, bounded, de-duplicated store of warning texts.
final class WarningLog: @unchecked Sendable {
    static let shared = WarningLog()
    private let lock = NSLock()
    private var messages: [String] = []
    private static let limit = 100

    func add(_ message: String) {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        lock.withLock {
            if messages.count < Self.limit && !messages.contains(text) { messages.append(text) }
        }
    }

    func take() -> [String] {
        lock.withLock {
            defer { messages.removeAll() }
            return messages
        }
    }
}
