import Dispatch
import Foundation
import StainCore

/// On SIGINT or SIGTERM during a run: cancel it (running evaluations and writes stop, temporary files are removed,
/// no output appears) and exit 130. A second signal, or a run that has not stopped within 10 s, exits at once after
/// deleting the staged outputs.
final class InterruptCleanup: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ outputs: OutputStaging) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if outputs.isCancelled { Self.exitNow(outputs) }
                outputs.cancel()
                FileHandle.standardError.write(Data("\ninterrupted: stopping, no output will be written\n".utf8))
                DispatchQueue.global().asyncAfter(deadline: .now() + 10) { Self.exitNow(outputs) }
            }
            source.resume()
            sources.append(source)
        }
    }

    private static func exitNow(_ outputs: OutputStaging) -> Never {
        outputs.discard()
        exit(130)
    }

    func disarm() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
