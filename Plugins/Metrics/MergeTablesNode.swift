import StainCore

/// `merge-tables`: joins metric tables side by side by row name (e.g. psnr + ssim + lpips into one report).
public struct MergeTablesNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "merge-tables", summary: "Combine up to five tables into one report: rows and columns matched by name",
        inputs: (1...5).map { InputPort("table\($0)", [.table], optional: $0 > 1, doc: "a table") },
        outputs: [OutputPort("out", .table, doc: "all columns (by name) and rows (by name); missing values are NaN")])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let tables = try (1...5).compactMap { inputs["table\($0)"] == nil ? nil : try inputs.table("table\($0)") }
        return ["out": .table(Self.merge(tables))]
    }

    /// Rows keep the order in which names first appear; columns of the same name are one column, so tables with
    /// different rows and the same columns stack, and tables with the same rows and other columns join.
    public static func merge(_ tables: [Table]) -> Table {
        var columns: [String] = []
        var names: [String] = []
        for table in tables {
            for column in table.columns where !columns.contains(column) { columns.append(column) }
            for row in table.rows where !names.contains(row.label) { names.append(row.label) }
        }
        var values = Dictionary(uniqueKeysWithValues: names.map { ($0, [Double](repeating: .nan, count: columns.count)) })
        for table in tables {
            let indices = table.columns.map { columns.firstIndex(of: $0)! }
            for row in table.rows {
                for (i, value) in zip(indices, row.values) { values[row.label]![i] = value }
            }
        }
        return Table(columns: columns, rows: names.map { Table.Row(label: $0, values: values[$0]!) })
    }
}
