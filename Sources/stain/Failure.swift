import ArgumentParser
import Foundation
import StainCore
import StainTraining
import Vips

/// Maps errors to messages on stderr and the documented exit codes (`ExitStatus`): 2 usage/config,
/// 3 unreadable input, 130/143 interrupted by SIGINT/SIGTERM, 1 other.
enum Failure {
    static func exit(for error: Error) -> ExitCode {
        switch error {
        case let invalid as PipelineInvalid:
            for diagnostic in invalid.diagnostics { printError("error: \(diagnostic)") }
            return code(invalid.isUnreadableInput ? .unreadableInput : .usage)
        case let run as NodeRunError:
            printError("error: \(run.message)")
            switch run.kind {
            case .unreadableInput: return code(.unreadableInput)
            case .interrupted: return code(.stopped(by: InterruptCleanup.receivedSignal ?? SIGINT))
            case .failure: return code(.failure)
            }
        case let invalid as RecipeInvalid:
            for diagnostic in invalid.diagnostics { printError("error: \(diagnostic)") }
            return code(.usage)
        case let data as TrainingDataError:
            printError("error: \(data)")
            return code(.unreadableInput)
        case let usage as ValidationError:
            printError("error: \(usage.message)")
            return code(.usage)
        case let exit as ExitCode:
            return exit
        default:
            printError("error: \(CLIErrorText.describe(error))")
            return code(.failure)
        }
    }

    static func code(_ status: ExitStatus) -> ExitCode { ExitCode(status.rawValue) }

    /// Runs `body`, turning any error into a message and an exit code.
    static func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch {
            let code = exit(for: error)
            warnLibvips()
            throw code
        }
    }

    /// Prints what libvips warned about during the command (once each), e.g. corrupt-but-readable JPEG data.
    static func warnLibvips() {
        for warning in Vips.takeWarnings() { printError("warning: libvips: \(warning)") }
    }

    /// Prints validation warnings (accepted conversions) on stderr.
    static func warn(_ warnings: [Diagnostic]) {
        for warning in warnings { printError("warning: \(warning)") }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
