import Foundation

/// A 256-bin histogram of 8-bit intensities, the statistics the histogram matcher works from.
/// Saved as JSON (`stain histogram IMAGE -o ref.json`) so a slide never has to be read twice.
public struct Histogram: Sendable, Equatable, Codable {
    public static let bins = 256
    /// Pixel counts per level 0...255.
    public let counts: [UInt64]
    /// What the histogram was made from (file, pyramid level, band rule), for provenance.
    public var source: String?

    public init(counts: [UInt64], source: String? = nil) throws {
        guard counts.count == Self.bins else {
            throw HistogramError("a histogram has \(Self.bins) bins, got \(counts.count)")
        }
        guard counts.contains(where: { $0 > 0 }) else { throw HistogramError("the histogram is empty (no pixels)") }
        self.counts = counts
        self.source = source
    }

    public var total: UInt64 { counts.reduce(0, +) }

    /// c(v): the fraction of pixels with value ≤ v, for v = 0...255.
    public var cdf: [Double] {
        let total = Double(self.total)
        var running: UInt64 = 0
        return counts.map { count in
            running += count
            return Double(running) / total
        }
    }

    /// Reads a histogram JSON file written by `write(to:)`.
    public static func load(path: String) throws -> Histogram {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HistogramError("cannot read histogram file '\(path)'")
        }
        return try decode(data, name: path)
    }

    /// Parses and checks histogram JSON (`name` is used in messages). The reader `load` uses, and the one the
    /// fuzz target `FuzzHistogram` exercises.
    public static func decode(_ data: Data, name: String) throws -> Histogram {
        do {
            let histogram = try JSONDecoder().decode(Histogram.self, from: data)
            return try Histogram(counts: histogram.counts, source: histogram.source)
        } catch let error as HistogramError {
            throw HistogramError("'\(name)': \(error.message)")
        } catch {
            throw HistogramError("'\(name)' is not a histogram file: \(ErrorText.describe(error))")
        }
    }

    /// Writes the histogram as JSON, atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

public struct HistogramError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
