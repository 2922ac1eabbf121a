import StainCore

/// Node types for engine tests: they pass tables along, so no image library is involved.
struct SourceNode: StainNode {
    static let name = "source"
    static let summary = "test: makes a one-row table"
    struct Declaration: NodeDeclaration {
        let out = OutputPort("out", .table, doc: "table")
        let value = Parameter("value", default: 1.0, range: 0...100, doc: "the value")
        let label = Parameter("label", default: "x", doc: "row label")
    }
    let value: Double, label: String
    init(_ p: Configuration<Declaration>) throws { value = try p.value; label = try p.label }
    func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .table(Table(columns: ["v"], rows: [.init(label: label, values: [value])]))]
    }
}

struct SumNode: StainNode {
    static let name = "sum"
    static let summary = "test: adds two tables' first values"
    enum Mode: String, ParameterChoice { case add, max }
    struct Declaration: NodeDeclaration {
        let a = InputPort("a", [.table], doc: "a")
        let b = InputPort("b", [.table], optional: true, doc: "b")
        let out = OutputPort("out", .table, doc: "sum")
        let copy = OutputPort("copy", .table, doc: "a again")
        let mode = Parameter("mode", default: Mode.add, doc: "how")
        let count = Parameter<Int>("count", doc: "required int")
    }
    let mode: Mode
    init(_ p: Configuration<Declaration>) throws {
        mode = try p.mode
        if try p.count == 13 { throw p.problem(\.count, "13 is unlucky") }
    }
    func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let a = try inputs.table(\.a).rows[0].values[0]
        let b = (try? inputs.table(\.b).rows[0].values[0]) ?? 0
        let v = mode == .add ? a + b : max(a, b)
        return [\.out: .table(Table(columns: ["v"], rows: [.init(label: "sum", values: [v])])),
                \.copy: .table(try inputs.table(\.a))]
    }
}

struct HistogramSourceNode: StainNode {
    static let name = "histogram-source"
    static let summary = "test: a histogram"
    struct Declaration: NodeDeclaration {
        let out = OutputPort("out", .histogram, doc: "h")
    }
    init(_ p: Configuration<Declaration>) throws {}
    func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .histogram(try Histogram(counts: [UInt64](repeating: 1, count: 256)))]
    }
}

/// Writes its input table as CSV to a staged file, or fails on request.
struct TableWriterNode: StainNode {
    static let name = "table-writer"
    static let summary = "test: writes a table"
    struct Declaration: NodeDeclaration {
        let source = InputPort("source", [.table], formerly: ["input"], doc: "table")
        let path = Parameter<OutputFile>("path", doc: "csv file")
        let fail = Parameter("fail", default: false, doc: "throw after staging")
    }
    let path: String, fail: Bool
    init(_ p: Configuration<Declaration>) throws { path = try p.path.path; fail = try p.fail }
    func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        try inputs.table(\.source).csv().write(toFile: try context.outputs.stage(path), atomically: false, encoding: .utf8)
        if fail { throw NodeRunError(.failure, "asked to fail") }
        return [:]
    }
}

/// Reads a file (only its size) into a one-row table: a node with an input file.
struct FileSourceNode: StainNode {
    static let name = "file-source"
    static let summary = "test: a table from a file's size"
    struct Declaration: NodeDeclaration {
        let out = OutputPort("out", .table, doc: "t")
        let path = Parameter<InputFile>("path", doc: "any file")
    }
    let path: String
    init(_ p: Configuration<Declaration>) throws { path = try p.path.path }
    func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        return [\.out: .table(Table(columns: ["size"], rows: [.init(label: "file", values: [size])]))]
    }
}

let testRegistry = NodeRegistry([SourceNode.self, SumNode.self, HistogramSourceNode.self, TableWriterNode.self,
                                 FileSourceNode.self])

import Foundation
