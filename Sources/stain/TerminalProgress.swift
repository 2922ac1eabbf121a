import Foundation
import StainCore

/// A progress bar with ETA on stderr, shown once a pass has run for more than a second; or JSON lines.
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private let json: Bool
    private let lock = NSLock()
    private var label = ""
    private var started = Date()
    private var shown = false
    private var lastDraw = Date.distantPast

    init(json: Bool) { self.json = json }

    func begin(_ label: String) {
        lock.withLock {
            self.label = label
            started = Date()
            shown = false
            if json { emit(["event": "begin", "pass": label]) }
        }
    }

    func update(_ fraction: Double) {
        lock.withLock {
            let now = Date()
            let elapsed = now.timeIntervalSince(started)
            guard elapsed > 1, now.timeIntervalSince(lastDraw) > 0.2 else { return }
            lastDraw = now
            shown = true
            let f = min(max(fraction, 0), 1)
            let eta = f > 0 ? elapsed * (1 - f) / f : .nan
            if json {
                emit(["event": "progress", "pass": label, "fraction": f, "elapsed_s": elapsed, "eta_s": eta.isFinite ? eta : -1])
                return
            }
            let width = 30, filled = Int(f * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let etaText = eta.isFinite ? String(format: "ETA %@", Self.clock(eta)) : "ETA --:--"
            FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %3d%% %@ %@ ", label, bar, Int(f * 100),
                                                       Self.clock(elapsed), etaText).utf8))
        }
    }

    func end() {
        lock.withLock {
            let elapsed = Date().timeIntervalSince(started)
            if json { emit(["event": "end", "pass": label, "elapsed_s": elapsed]) }
            else if shown { FileHandle.standardError.write(Data(String(format: "\r%@ done in %@%@\n", label, Self.clock(elapsed), String(repeating: " ", count: 40)).utf8)) }
            shown = false
        }
    }

    /// Every tile is reported as a JSON line (tiles take long enough that this is never a flood); on a terminal
    /// the bar follows the tiles done.
    func tiles(_ tiles: TileProgress) {
        if json {
            let elapsed = lock.withLock { Date().timeIntervalSince(started) }
            let fraction = Double(tiles.done) / Double(max(tiles.total, 1))
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : -1
            lock.withLock {
                emit(["event": "tiles", "pass": label, "node": tiles.node, "done": tiles.done, "total": tiles.total,
                      "tiles": ["computed": tiles.computed, "skipped": tiles.skipped],
                      "compute_s": tiles.computeSeconds, "elapsed_s": elapsed, "eta_s": eta])
            }
        } else {
            update(Double(tiles.done) / Double(max(tiles.total, 1)))
        }
    }

    private func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }

    private static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
