import Foundation

/// Makes a run's outputs appear all together or not at all: writers write to temporary files next to their targets,
/// and the executor renames them into place only after every node has succeeded.
public final class OutputStaging: @unchecked Sendable {
    private let lock = NSLock()
    private var staged: [(temporary: String, final: String)] = []
    /// Folders this run created for its outputs, deepest last; removed again if the run fails.
    private var createdFolders: [String] = []
    private var cancelled = false

    /// Asks the run to stop: evaluations in progress are killed and the executor stops before the next node.
    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } }

    public init() {}

    /// A temporary path in the same folder as `path` (so the final rename is atomic), remembered for commit.
    /// Missing folders on the way are created (and removed again by `discard`).
    public func stage(_ path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        try createFolders(for: url.deletingLastPathComponent().path)
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
        lock.withLock {
            staged.removeAll()
            createdFolders.removeAll()
        }
    }

    /// Deletes every staged file (after a failure or an interrupt) and the folders the run created.
    public func discard() {
        let (files, folders) = lock.withLock { (staged, createdFolders) }
        for file in files { try? FileManager.default.removeItem(atPath: file.temporary) }
        for folder in folders.reversed() { rmdir(folder) }
        lock.withLock {
            staged.removeAll()
            createdFolders.removeAll()
        }
    }

    private func createFolders(for folder: String) throws {
        var missing: [String] = []
        var current = URL(fileURLWithPath: folder).standardizedFileURL
        while current.path != "/" && !FileManager.default.fileExists(atPath: current.path) {
            missing.append(current.path)
            current.deleteLastPathComponent()
        }
        for path in missing.reversed() {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            } catch {
                throw NodeRunError(.failure, "cannot create the output folder '\(path)': \(error.localizedDescription)")
            }
            lock.withLock { createdFolders.append(path) }
        }
    }

    /// The paths that will be written on commit.
    public var finalPaths: [String] { lock.withLock { staged.map(\.final) } }
}
