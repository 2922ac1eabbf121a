import Dispatch
import Foundation
import StainCore

/// On SIGINT or SIGTERM during a run: cancel it (running evaluations and writes stop, temporary files are removed,
/// no output appears) and exit 130 (SIGINT) or 143 (SIGTERM). A second signal, or a run that has not stopped within
/// 10 s, exits at once after deleting the staged outputs. A signal that arrives once the outputs are being moved
/// into place cannot stop that any more: it is reported as such, and the run finishes normally.
final class InterruptCleanup: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// The signal that stopped the run, if any (read by `Failure` for the exit code), guarded by `lock`.
    nonisolated(unsafe) private static var received: Int32?
    private static let lock = NSLock()

    static var receivedSignal: Int32? { lock.withLock { received } }

    init(_ outputs: OutputStaging) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if outputs.isCancelled { Self.exitNow(outputs, signal: sig) }
                // Recorded before cancelling, so the exit code is right however fast the run stops.
                Self.lock.withLock { Self.received = sig }
                guard outputs.cancel() else {
                    FileHandle.standardError.write(Data("\ninterrupted after the run finished: the outputs are kept\n".utf8))
                    return
                }
                FileHandle.standardError.write(Data("\ninterrupted: stopping, no output will be written\n".utf8))
                DispatchQueue.global().asyncAfter(deadline: .now() + 10) { Self.exitNow(outputs, signal: sig) }
            }
            source.resume()
            sources.append(source)
        }
    }

    private static func exitNow(_ outputs: OutputStaging, signal: Int32) -> Never {
        outputs.discard()
        exit(ExitStatus.stopped(by: signal).rawValue)
    }

    func disarm() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
