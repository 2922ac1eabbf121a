import Foundation

/// A CSV file with one row per step (or per validation), appended as the run goes and cut back to a checkpoint's
/// step on resume, so that a resumed run's log reads like an uninterrupted one.
public final class CSVLog {
    public let path: String
    let header: [String]
    private var handle: FileHandle?

    /// Opens `path`, writing `header` when the file is new; with `keepThrough`, rows whose first column (the step)
    /// is greater are dropped first.
    public init(path: String, header: [String], keepThrough step: Int? = nil) throws {
        self.path = path
        self.header = header
        let manager = FileManager.default
        if let step, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            lines = lines.enumerated().filter { i, line in
                i == 0 || (Int(line.split(separator: ",").first ?? "") ?? Int.max) <= step
            }.map(\.1)
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        if !manager.fileExists(atPath: path) {
            try (header.joined(separator: ",") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle?.seekToEnd()
    }

    public func append(_ values: [String]) throws {
        try handle?.write(contentsOf: Data((values.joined(separator: ",") + "\n").utf8))
    }

    /// Every row (without the header) as numbers, by column name.
    public static func read(_ path: String) throws -> (header: [String], rows: [[Double]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        guard let first = lines.first else { return ([], []) }
        let header = first.split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } }
        return (header, rows)
    }

    deinit { try? handle?.close() }
}

func formatNumber(_ v: Double) -> String { String(format: "%.6g", v) }
