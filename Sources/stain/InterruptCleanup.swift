import Dispatch
import Foundation
import StainCore

/// On SIGINT or SIGTERM during a run: delete the staged (partial) outputs, then exit 130, so no half-written file
/// is ever left behind.
final class InterruptCleanup: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ outputs: OutputStaging) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                outputs.discard()
                FileHandle.standardError.write(Data("\ninterrupted: no output written\n".utf8))
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }

    func disarm() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
