import Foundation
import StainCore

/// `write-table`: saves a table as JSON (rows + mean/std summary) or CSV, with the run's other outputs, and prints
/// the summary.
public struct WriteTableNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "write-table", summary: "Write a metrics table as .json (with mean ± std) or .csv, and print its summary",
        inputs: [InputPort("input", [.table], doc: "the table")],
        parameters: [ParameterSpec("path", .outputFile, doc: "a .json or .csv file"),
                     ParameterSpec("print", .bool, default: .bool(true), doc: "print mean ± std per column")])

    let path: String
    let printSummary: Bool

    public init(_ p: ParameterValues) throws {
        path = p.string("path")
        printSummary = p.bool("print")
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "json" || ext == "csv" else {
            throw NodeConfigurationError(key: "path", "a table is written as .json or .csv, not '.\(ext)'")
        }
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let table = try inputs.table("input")
        let data = path.lowercased().hasSuffix(".json") ? try table.json() : Data(table.csv().utf8)
        try data.write(to: URL(fileURLWithPath: context.outputs.stage(path)))
        if printSummary { print(table.formattedSummary()) }
        return [:]
    }
}
