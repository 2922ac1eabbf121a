import ArgumentParser
import Foundation
import StainCore
import StainTraining

/// Maps errors to messages on stderr and the documented exit codes: 2 usage/config, 3 unreadable input, 1 other.
enum Failure {
    static func exit(for error: Error) -> ExitCode {
        switch error {
        case let invalid as PipelineInvalid:
            for diagnostic in invalid.diagnostics { printError("error: \(diagnostic)") }
            return ExitCode(2)
        case let run as NodeRunError:
            printError("error: \(run.message)")
            switch run.kind {
            case .unreadableInput: return ExitCode(3)
            case .interrupted: return ExitCode(130)
            case .failure: return ExitCode(1)
            }
        case let invalid as RecipeInvalid:
            for diagnostic in invalid.diagnostics { printError("error: \(diagnostic)") }
            return ExitCode(2)
        case let data as TrainingDataError:
            printError("error: \(data)")
            return ExitCode(3)
        case let usage as ValidationError:
            printError("error: \(usage.message)")
            return ExitCode(2)
        case let exit as ExitCode:
            return exit
        default:
            printError("error: \(error)")
            return ExitCode(1)
        }
    }

    /// Runs `body`, turning any error into a message and an exit code.
    static func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch { throw exit(for: error) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
