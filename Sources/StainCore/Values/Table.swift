import Foundation

/// A table of named numbers: one row per item (an image, a network), one column per quantity.
public struct Table: Sendable, Equatable {
    public var columns: [String]
    public var rows: [Row]

    public struct Row: Sendable, Equatable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public init(columns: [String], rows: [Row] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Mean and (population) standard deviation of each column over the rows, skipping NaN.
    public func summary() -> [(column: String, mean: Double, std: Double, count: Int)] {
        columns.indices.map { c in
            let values = rows.map { $0.values[c] }.filter { !$0.isNaN }
            let mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
            let variance = values.isEmpty ? .nan : values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            return (columns[c], mean, mean.isFinite ? variance.squareRoot() : .nan, values.count)
        }
    }

    /// CSV with a header row.
    public func csv() -> String {
        var lines = ["name," + columns.joined(separator: ",")]
        for row in rows {
            lines.append(([Self.csvField(row.label)] + row.values.map { String($0) }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON: `{"columns": [...], "rows": [{"name": ..., "<col>": v}], "summary": {"<col>": {"mean","std","count"}}}`.
    public func json() throws -> Data {
        var rowsJSON: [[String: Any]] = []
        for row in rows {
            var object: [String: Any] = ["name": row.label]
            for (c, v) in zip(columns, row.values) { object[c] = Self.jsonNumber(v) }
            rowsJSON.append(object)
        }
        var summaryJSON: [String: Any] = [:]
        for s in summary() {
            summaryJSON[s.column] = ["mean": Self.jsonNumber(s.mean), "std": Self.jsonNumber(s.std), "count": s.count]
        }
        let object: [String: Any] = ["columns": columns, "rows": rowsJSON, "summary": summaryJSON]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// A fixed-width text table of mean ± std per column.
    public func formattedSummary() -> String {
        let stats = summary()
        let width = max(8, stats.map(\.column.count).max() ?? 0)
        var lines = ["metric".padding(toLength: width, withPad: " ", startingAt: 0) + "  mean ± std (n)"]
        for s in stats {
            lines.append(s.column.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + Self.number(s.mean, digits: 6) + " ± " + Self.number(s.std, digits: 4) + " (\(s.count))")
        }
        return lines.joined(separator: "\n")
    }

    /// Every row as a fixed-width text table: for tables whose rows are different things (networks), where a mean
    /// over them means nothing.
    public func formattedRows() -> String {
        let nameWidth = max(4, rows.map(\.label.count).max() ?? 0)
        let widths = columns.map { max(12, $0.count) }
        var lines = ["name".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
            + zip(columns, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")]
        for row in rows {
            lines.append(row.label.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + zip(row.values, widths).map { Self.number($0, digits: 6).padding(toLength: $1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ v: Double, digits: Int) -> String {
        if v.isNaN { return "n/a" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && abs(v) >= 1e5 && abs(v) < 1e15 { return String(Int(v)) }
        return String(format: "%.\(digits)g", v)
    }

    /// JSON has no infinity or NaN. Infinity is a real result (the PSNR of identical images), written as the
    /// strings "inf" / "-inf" like the CSV and the printed summary; NaN (no value) becomes null.
    private static func jsonNumber(_ v: Double) -> Any {
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return v.isNaN ? NSNull() : v
    }

    private static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
