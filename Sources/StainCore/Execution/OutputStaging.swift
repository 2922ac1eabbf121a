import Foundation

/// Makes a run's outputs appear all together or not at all: writers write to temporary files next to their targets,
/// and the executor renames them into place only after every node has succeeded.
///
/// Cancelling and committing exclude each other: once `beginCommit` has succeeded, `cancel` is refused (it returns
/// false), so an interrupt never announces "no output" and then lets the outputs appear; and once cancelled, the
/// commit is refused.
public final class OutputStaging: @unchecked Sendable {
    private let lock = NSLock()
    private var staged: [(temporary: String, final: String)] = []
    /// Companion folders of staged files (a DeepZoom `.dzi`'s `_files` tiles): moved with them, not reported as
    /// outputs of their own.
    private var companions: [(temporary: String, final: String)] = []
    /// Folders this run created for its outputs, deepest last; removed again if the run fails.
    private var createdFolders: [String] = []
    private var cancelled = false
    private var committing = false

    /// Asks the run to stop: evaluations in progress are killed and the executor stops before the next node.
    /// Returns false (and changes nothing) when the outputs are already being moved into place.
    @discardableResult
    public func cancel() -> Bool {
        lock.withLock {
            if committing { return false }
            cancelled = true
            return true
        }
    }

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Whether the outputs are being (or have been) moved into place, past the point where an interrupt can stop it.
    public var isCommitting: Bool { lock.withLock { committing } }

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

    /// Registers a folder a saver wrote next to a staged file (`temporary`), to be moved to `final` on commit
    /// (replacing an older one) or deleted on discard.
    public func stageCompanion(temporary: String, final: String) {
        lock.withLock { companions.append((temporary, final)) }
    }

    /// The temporary file staged for `path`, if any.
    public func temporaryPath(for path: String) -> String? {
        lock.withLock { staged.last { $0.final == path }?.temporary }
    }

    /// Renames every staged file into place. Refused (interrupted) when the run was cancelled first.
    public func commit() throws {
        let proceed = lock.withLock { () -> Bool in
            if cancelled { return false }
            committing = true
            return true
        }
        guard proceed else {
            discard()
            throw NodeRunError(.interrupted, "interrupted")
        }
        let (files, folders) = lock.withLock { (staged, companions) }
        for folder in folders {
            // rename(2) replaces a file but not a non-empty folder: an older output's tiles go first.
            if FileManager.default.fileExists(atPath: folder.final) { try? FileManager.default.removeItem(atPath: folder.final) }
            if rename(folder.temporary, folder.final) != 0 {
                let reason = String(cString: strerror(errno))
                discard()
                throw NodeRunError(.failure, "cannot move the finished output into place at '\(folder.final)': \(reason)")
            }
        }
        for file in files where rename(file.temporary, file.final) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw NodeRunError(.failure, "cannot move the finished output into place at '\(file.final)': \(reason)")
        }
        lock.withLock {
            staged.removeAll()
            companions.removeAll()
            createdFolders.removeAll()
        }
    }

    /// Deletes every staged file (after a failure or an interrupt), the temporary files savers made from them,
    /// and the folders the run created.
    public func discard() {
        let (files, companionFolders, folders) = lock.withLock { (staged, companions, createdFolders) }
        for file in files {
            try? FileManager.default.removeItem(atPath: file.temporary)
            Self.removeSaverTemporaries(of: file.temporary)
        }
        for folder in companionFolders { try? FileManager.default.removeItem(atPath: folder.temporary) }
        for folder in folders.reversed() { rmdir(folder) }
        lock.withLock {
            staged.removeAll()
            companions.removeAll()
            createdFolders.removeAll()
        }
    }

    /// Savers that write atomically themselves (the Vips module) put a hidden `.NAME.tmp-…` next to the staged
    /// file; a run stopped mid-write leaves it behind unless it is removed here.
    private static func removeSaverTemporaries(of staged: String) {
        let url = URL(fileURLWithPath: staged)
        let folder = url.deletingLastPathComponent().path
        let prefix = "." + url.deletingPathExtension().lastPathComponent + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
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
            if mkdir(path, 0o777) != 0 {
                if errno == EEXIST { continue }  // made meanwhile by someone else: not ours to remove
                throw NodeRunError(.failure, "cannot create the output folder '\(path)': \(String(cString: strerror(errno)))")
            }
            lock.withLock { createdFolders.append(path) }
        }
    }

    /// `message` with every staged temporary name replaced by the output it stands for: users know their output
    /// paths, not the hidden `.NAME.partial-…` files (whole paths first, then bare file names as Foundation gives them).
    public func presentable(_ message: String) -> String {
        var text = message
        for file in lock.withLock({ staged }) {
            text = text.replacingOccurrences(of: file.temporary, with: file.final)
            text = text.replacingOccurrences(of: (file.temporary as NSString).lastPathComponent,
                                             with: (file.final as NSString).lastPathComponent)
        }
        return text
    }

    /// The paths that will be written on commit.
    public var finalPaths: [String] { lock.withLock { staged.map(\.final) } }
}
