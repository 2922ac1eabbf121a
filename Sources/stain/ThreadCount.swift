import ArgumentParser

/// The `--threads N` option of run, train and bench. Its value is parsed unconditionally, so that `--threads -1`
/// reaches `check` and gets a sentence about threads rather than ArgumentParser's "Missing value" (a leading `-`
/// would otherwise read as an option name).
enum ThreadCount {
    static let parsing = SingleValueParsingStrategy.unconditional

    /// Refuses a count below 1 (exit 2); nil means the default, every core.
    static func check(_ threads: Int?) throws {
        guard let threads, threads < 1 else { return }
        throw ValidationError("--threads must be at least 1 (the number of threads to use; leave it out to use "
            + "every core), got \(threads)")
    }
}
