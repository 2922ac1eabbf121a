import Foundation

/// A per-image table of metric values (one row per image, one column per metric) with CSV and JSON output.
public struct MetricTable: Sendable, Equatable {
    /// One image's values, in the order of `metrics`; `nil` where a metric was not computed.
    public struct Row: Sendable, Equatable {
        public let name: String
        public let values: [Double?]
    }

    public let metrics: [String]
    public private(set) var rows: [Row] = []

    /// An empty table with the given metric columns (names must be distinct and non-empty).
    public init(metrics: [String]) throws {
        guard !metrics.isEmpty, metrics.allSatisfy({ !$0.isEmpty }), Set(metrics).count == metrics.count else {
            throw MetricError.invalidParameter("metric names must be non-empty and distinct: \(metrics)")
        }
        self.metrics = metrics
    }

    /// Adds one image's row; every key must be one of `metrics`, and missing metrics stay empty.
    public mutating func append(name: String, values: [String: Double]) throws {
        if let unknown = values.keys.first(where: { !metrics.contains($0) }) {
            throw MetricError.invalidParameter("unknown metric \"\(unknown)\"; the table has \(metrics)")
        }
        rows.append(Row(name: name, values: metrics.map { values[$0] }))
    }

    /// Summary (mean ± std over the finite values) of each metric column, in column order.
    public func summaries() -> [(metric: String, summary: MetricSummary)] {
        metrics.enumerated().map { c, name in (name, MetricSummary(rows.compactMap { $0.values[c] })) }
    }

    /// CSV: a header `image,<metrics…>`, one line per image, then `mean` and `std` lines. Empty cells for missing or
    /// non-finite values.
    public func csv() -> String {
        var lines = [(["image"] + metrics).map(Self.csvField).joined(separator: ",")]
        for row in rows {
            lines.append(([Self.csvField(row.name)] + row.values.map { Self.number($0) ?? "" }).joined(separator: ","))
        }
        let s = summaries()
        lines.append((["mean"] + s.map { Self.number($0.summary.mean) ?? "" }).joined(separator: ","))
        lines.append((["std"] + s.map { Self.number($0.summary.std) ?? "" }).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON: `{"metrics": [...], "images": [{"image": name, <metric>: value, ...}], "summary": {<metric>:
    /// {"mean", "std", "min", "max", "count"}}}`; missing or non-finite values are `null`.
    public func json() -> String {
        var out = "{\n  \"metrics\": [" + metrics.map(Self.jsonString).joined(separator: ", ") + "],\n  \"images\": ["
        out += rows.map { row in
            let fields = ["\"image\": " + Self.jsonString(row.name)]
                + zip(metrics, row.values).map { Self.jsonString($0) + ": " + (Self.number($1) ?? "null") }
            return "\n    {" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ",")
        out += (rows.isEmpty ? "" : "\n  ") + "],\n  \"summary\": {"
        out += summaries().map { metric, s in
            let stats = [("mean", s.mean), ("std", s.std), ("min", s.min), ("max", s.max)]
                .map { "\"\($0)\": " + (Self.number($1) ?? "null") } + ["\"count\": \(s.count)"]
            return "\n    " + Self.jsonString(metric) + ": {" + stats.joined(separator: ", ") + "}"
        }.joined(separator: ",")
        return out + "\n  }\n}\n"
    }

    /// Shortest round-trip decimal text of a finite value; nil for missing or non-finite.
    static func number(_ v: Double?) -> String? {
        guard let v, v.isFinite else { return nil }
        return "\(v)"
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
