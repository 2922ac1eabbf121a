import StainCore

/// `merge-tables`: joins metric tables side by side by row name (e.g. psnr + ssim + lpips into one report).
public struct MergeTablesNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "merge-tables", summary: "Join up to five tables by row name into one report",
        inputs: (1...5).map { InputPort("table\($0)", [.table], optional: $0 > 1, doc: "a table") },
        outputs: [OutputPort("out", .table, doc: "columns of all inputs; rows by name (missing values are NaN)")])

    public init(_ p: ParameterValues) throws {}

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let tables = try (1...5).compactMap { inputs["table\($0)"] == nil ? nil : try inputs.table("table\($0)") }
        return ["out": .table(Self.merge(tables))]
    }

    /// Rows keep the order in which names first appear.
    public static func merge(_ tables: [Table]) -> Table {
        var names: [String] = []
        for table in tables { for row in table.rows where !names.contains(row.label) { names.append(row.label) } }
        var merged = Table(columns: tables.flatMap(\.columns))
        for name in names {
            let values = tables.flatMap { table in
                table.rows.first { $0.label == name }?.values ?? [Double](repeating: .nan, count: table.columns.count)
            }
            merged.rows.append(.init(label: name, values: values))
        }
        return merged
    }
}
