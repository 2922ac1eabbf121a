import Foundation

/// The exit codes of `stain`, one place for the code and for the tables in README.md and docs/user-guide.md
/// (a test compares them, so the documentation cannot drift from what the tool does).
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case ok = 0
    case failure = 1
    case usage = 2
    case unreadableInput = 3
    case interrupted = 130
    case terminated = 143

    /// The meaning, as the documentation's tables state it.
    public var meaning: String {
        switch self {
        case .ok: "ok"
        case .failure: "any other failure"
        case .usage: "usage or pipeline error (bad option, invalid pipeline file, missing input file, unsafe output path)"
        case .unreadableInput: "unreadable input (empty, damaged or unsupported image; corrupt weights; "
            + "unpaired evaluation files)"
        case .interrupted: "interrupted (SIGINT, Ctrl-C): no output written"
        case .terminated: "terminated (SIGTERM): no output written"
        }
    }

    /// The status of a run stopped by `signal` (128 + the signal number, the shell's convention).
    public static func stopped(by signal: Int32) -> ExitStatus {
        signal == SIGTERM ? .terminated : .interrupted
    }

    /// The Markdown table the documentation holds.
    public static var markdownTable: String {
        "| exit code | meaning |\n|---|---|\n" + allCases.map { "| \($0.rawValue) | \($0.meaning) |" }.joined(separator: "\n")
    }
}
