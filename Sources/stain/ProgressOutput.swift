import ArgumentParser
import Foundation
import StainCore

/// How a command shows progress on stderr; `stain run`, `stain train`, `stain eval` and `stain histogram` all take
/// `--progress` with these words and draw with `ProgressOutput`.
enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
    /// A bar with ETA, redrawn in place (the default when stderr is a terminal).
    case bar
    /// One JSON object per line (for scripts, logs and the cohort report).
    case json
    /// Plain lines, at most one every 10 s (the default in logs).
    case lines
    case none

    /// The style to use when none is given: a bar on a terminal, else `fallback`.
    static func resolved(_ given: ProgressStyle?, otherwise fallback: ProgressStyle) -> ProgressStyle {
        given ?? (isatty(STDERR_FILENO) != 0 ? .bar : fallback)
    }

    /// The pipeline progress reporter for this style.
    func reporter() -> any ProgressReporter {
        self == .none ? SilentProgress() : TerminalProgress(style: self)
    }
}

/// The drawing every progress display shares: the bar, JSON lines, plain lines, and clock times.
enum ProgressOutput {
    static func json(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }

    /// Redraws the bar line: label, bar, percentage, elapsed time, ETA, and any detail (e.g. the current losses).
    static func bar(_ label: String, fraction: Double, elapsed: Double, eta: Double, detail: String = "") {
        let f = min(max(fraction, 0), 1)
        let width = 30, filled = Int(f * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r\u{1B}[K%@ [%@] %3d%% %@ ETA %@ %@", label, bar,
                                                   Int(f * 100), clock(elapsed), clock(eta), detail).utf8))
    }

    static func line(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// m:ss, or h:mm:ss past an hour; --:-- when unknown.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
