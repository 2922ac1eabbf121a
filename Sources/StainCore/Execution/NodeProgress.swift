import Foundation

/// The run's progress reporter as one node sees it: every pass the node begins is labelled with the node's id and
/// its number in the run ("pass 3 · stain: writing out/x.tif"), so a long run says which node is working and how
/// many passes are behind it. Tile events pass through unchanged.
final class NodeProgress: ProgressReporter, @unchecked Sendable {
    private let node: String
    private let base: any ProgressReporter
    private let counter: PassCounter

    init(node: String, base: any ProgressReporter, counter: PassCounter) {
        self.node = node
        self.base = base
        self.counter = counter
    }

    func begin(_ label: String) { base.begin("pass \(counter.next()) · \(node): \(label)") }
    func update(_ fraction: Double) { base.update(fraction) }
    func end() { base.end() }
    func tiles(_ progress: TileProgress) { base.tiles(progress) }
}

/// Counts the passes of one run.
final class PassCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
