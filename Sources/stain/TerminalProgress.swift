import Foundation
import StainCore

/// A pipeline run's progress on stderr in one of the `ProgressStyle`s: a bar with ETA (shown once a pass has run for
/// more than a second), JSON lines (every pass, every tile, throttled fractions), or plain lines (each pass, and at
/// most one progress line every 10 s).
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private let style: ProgressStyle
    private let lock = NSLock()
    private var label = ""
    private var started = Date()
    private var shown = false
    private var lastDraw = Date.distantPast

    init(style: ProgressStyle) { self.style = style }

    func begin(_ label: String) {
        lock.withLock {
            self.label = label
            started = Date()
            shown = false
            switch style {
            case .json: ProgressOutput.json(["event": "begin", "pass": label])
            case .lines: ProgressOutput.line(label + "…")
            case .bar, .none: break
            }
        }
    }

    func update(_ fraction: Double) {
        lock.withLock {
            let now = Date()
            let elapsed = now.timeIntervalSince(started)
            let interval = style == .lines ? 10.0 : 0.2
            guard elapsed > 1, now.timeIntervalSince(lastDraw) > interval else { return }
            lastDraw = now
            shown = true
            let f = min(max(fraction, 0), 1)
            let eta = f > 0 ? elapsed * (1 - f) / f : .nan
            switch style {
            case .json:
                ProgressOutput.json(["event": "progress", "pass": label, "fraction": f, "elapsed_s": elapsed,
                                     "eta_s": eta.isFinite ? eta : -1])
            case .bar: ProgressOutput.bar(label, fraction: f, elapsed: elapsed, eta: eta)
            case .lines:
                ProgressOutput.line(String(format: "%@ %3d%% %@ ETA %@", label, Int(f * 100),
                                           ProgressOutput.clock(elapsed), ProgressOutput.clock(eta)))
            case .none: break
            }
        }
    }

    func end() {
        lock.withLock {
            let elapsed = Date().timeIntervalSince(started)
            switch style {
            case .json: ProgressOutput.json(["event": "end", "pass": label, "elapsed_s": elapsed])
            case .bar where shown, .lines:
                let prefix = style == .bar ? "\r\u{1B}[K" : ""
                FileHandle.standardError.write(Data("\(prefix)\(label) done in \(ProgressOutput.clock(elapsed))\n".utf8))
            default: break
            }
            shown = false
        }
    }

    /// Every tile is reported as a JSON line (tiles take long enough that this is never a flood); the bar and the
    /// lines follow the tiles done.
    func tiles(_ tiles: TileProgress) {
        guard style == .json else {
            update(Double(tiles.done) / Double(max(tiles.total, 1)))
            return
        }
        lock.withLock {
            let elapsed = Date().timeIntervalSince(started)
            let fraction = Double(tiles.done) / Double(max(tiles.total, 1))
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : -1
            ProgressOutput.json(["event": "tiles", "pass": label, "node": tiles.node, "done": tiles.done,
                                 "total": tiles.total, "tiles": ["computed": tiles.computed, "skipped": tiles.skipped],
                                 "compute_s": tiles.computeSeconds, "elapsed_s": elapsed, "eta_s": eta])
        }
    }
}
