import Foundation

/// Makes a run's outputs appear all together or not at all: writers write to temporary files next to their targets,
/// and the executor renames them into place only after every node has succeeded.
public final class OutputStaging: @unchecked Sendable {
    private let lock = NSLock()
    private var staged: [(temporary: String, final: String)] = []

    public init() {}

    /// A temporary path in the same folder as `path` (so the final rename is atomic), remembered for commit.
    public func stage(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.deletingPathExtension().lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
            .appendingPathExtension(url.pathExtension).path
        lock.withLock { staged.append((temporary, path)) }
        return temporary
    }

    /// Renames every staged file into place.
    public func commit() throws {
        let files = lock.withLock { staged }
        for file in files where rename(file.temporary, file.final) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw NodeRunError(.failure, "cannot move the finished output into place at '\(file.final)': \(reason)")
        }
        lock.withLock { staged.removeAll() }
    }

    /// Deletes every staged file (after a failure or an interrupt).
    public func discard() {
        let files = lock.withLock { staged }
        for file in files { try? FileManager.default.removeItem(atPath: file.temporary) }
        lock.withLock { staged.removeAll() }
    }

    /// The paths that will be written on commit.
    public var finalPaths: [String] { lock.withLock { staged.map(\.final) } }
}
