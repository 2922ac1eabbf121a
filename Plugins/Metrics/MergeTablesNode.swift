import StainCore

/// `merge-tables`: joins metric tables side by side by row name (e.g. psnr + ssim + lpips into one report).
public struct MergeTablesNode: StainNode {
    public static let name = "merge-tables"
    public static let summary = "Combine up to five tables into one report: rows and columns matched by name"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let table1 = InputPort("table1", [.table], doc: "a table")
        let table2 = InputPort("table2", [.table], optional: true, doc: "a table")
        let table3 = InputPort("table3", [.table], optional: true, doc: "a table")
        let table4 = InputPort("table4", [.table], optional: true, doc: "a table")
        let table5 = InputPort("table5", [.table], optional: true, doc: "a table")
        let out = OutputPort("out", .table, doc: "all columns (by name) and rows (by name); missing values are NaN")
    }

    public init(_ p: Configuration<Declaration>) throws {}

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let ports: [KeyPath<Declaration, InputPort>] = [\.table1, \.table2, \.table3, \.table4, \.table5]
        let tables = try ports.compactMap { inputs.value($0) == nil ? nil : try inputs.table($0) }
        return [\.out: .table(Self.merge(tables))]
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
            let indices = table.columns.compactMap { columns.firstIndex(of: $0) }
            for row in table.rows {
                for (i, value) in zip(indices, row.values) { values[row.label]?[i] = value }
            }
        }
        return Table(columns: columns, rows: names.map { Table.Row(label: $0, values: values[$0] ?? []) })
    }
}
