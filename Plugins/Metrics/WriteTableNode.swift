import Foundation
import StainCore

/// `write-table`: saves a table as JSON (rows + mean/std summary) or CSV, with the run's other outputs, and prints
/// the summary.
public struct WriteTableNode: StainNode {
    public static let name = "write-table"
    public static let summary = "Write a metrics table as .json (with mean ± std) or .csv, and print its summary"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", [.table], formerly: ["input"], doc: "the table")
        let path = Parameter<OutputFile>("path", doc: "a .json or .csv file")
        let print = Parameter("print", default: Printing.summary,
                              doc: "what to print: summary (mean ± std per column, for one row per image), rows "
                                  + "(every row, for rows that are different things such as networks), or none")
    }

    let path: String
    /// What `write-table` prints after writing.
    public enum Printing: String, ParameterChoice {
        case summary, rows, none
    }

    let printing: Printing

    public init(_ p: Configuration<Declaration>) throws {
        path = try p.path.path
        printing = try p.print
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "json" || ext == "csv" else {
            throw p.problem(\.path, "a table is written as .json or .csv, not '.\(ext)'")
        }
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let table = try inputs.table(\.source)
        let data = path.lowercased().hasSuffix(".json") ? try table.json() : Data(table.csv().utf8)
        try data.write(to: URL(fileURLWithPath: context.outputs.stage(path)))
        switch printing {
        case .summary: print(table.formattedSummary())
        case .rows: print(table.formattedRows())
        case .none: break
        }
        return [:]
    }
}
