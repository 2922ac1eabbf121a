import StainCore

/// Node types for engine tests: they pass tables along, so no image library is involved.
struct SourceNode: StainNode {
    static let descriptor = NodeDescriptor(
        name: "source", summary: "test: makes a one-row table",
        outputs: [OutputPort("out", .table, doc: "table")],
        parameters: [ParameterSpec("value", .float, default: .float(1), range: 0...100, doc: "the value"),
                     ParameterSpec("label", .string, default: .string("x"), doc: "row label")])
    let value: Double, label: String
    init(_ p: ParameterValues) throws { value = p.double("value"); label = p.string("label") }
    func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .table(Table(columns: ["v"], rows: [.init(label: label, values: [value])]))]
    }
}

struct SumNode: StainNode {
    static let descriptor = NodeDescriptor(
        name: "sum", summary: "test: adds two tables' first values",
        inputs: [InputPort("a", [.table], doc: "a"), InputPort("b", [.table], optional: true, doc: "b")],
        outputs: [OutputPort("out", .table, doc: "sum"), OutputPort("copy", .table, doc: "a again")],
        parameters: [ParameterSpec("mode", .choice(["add", "max"]), default: .string("add"), doc: "how"),
                     ParameterSpec("count", .int, doc: "required int")])
    let mode: String
    init(_ p: ParameterValues) throws {
        mode = p.string("mode")
        if p.int("count") == 13 { throw NodeConfigurationError(key: "count", "13 is unlucky") }
    }
    func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let a = try inputs.table("a").rows[0].values[0]
        let b = (try? inputs.table("b").rows[0].values[0]) ?? 0
        let v = mode == "add" ? a + b : max(a, b)
        return ["out": .table(Table(columns: ["v"], rows: [.init(label: "sum", values: [v])])),
                "copy": .table(try inputs.table("a"))]
    }
}

struct HistogramSourceNode: StainNode {
    static let descriptor = NodeDescriptor(
        name: "histogram-source", summary: "test: a histogram", outputs: [OutputPort("out", .histogram, doc: "h")])
    init(_ p: ParameterValues) throws {}
    func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .histogram(try Histogram(counts: [UInt64](repeating: 1, count: 256)))]
    }
}

/// Writes its input table as CSV to a staged file, or fails on request.
struct TableWriterNode: StainNode {
    static let descriptor = NodeDescriptor(
        name: "table-writer", summary: "test: writes a table",
        inputs: [InputPort("input", [.table], doc: "table")],
        parameters: [ParameterSpec("path", .outputFile, doc: "csv file"),
                     ParameterSpec("fail", .bool, default: .bool(false), doc: "throw after staging")])
    let path: String, fail: Bool
    init(_ p: ParameterValues) throws { path = p.string("path"); fail = p.bool("fail") }
    func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        try inputs.table("input").csv().write(toFile: try context.outputs.stage(path), atomically: false, encoding: .utf8)
        if fail { throw NodeRunError(.failure, "asked to fail") }
        return [:]
    }
}

/// Reads a file (only its size) into a one-row table: a node with an input file.
struct FileSourceNode: StainNode {
    static let descriptor = NodeDescriptor(
        name: "file-source", summary: "test: a table from a file's size",
        outputs: [OutputPort("out", .table, doc: "t")],
        parameters: [ParameterSpec("path", .inputFile, doc: "any file")])
    let path: String
    init(_ p: ParameterValues) throws { path = p.string("path") }
    func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        return ["out": .table(Table(columns: ["size"], rows: [.init(label: "file", values: [size])]))]
    }
}

let testRegistry = NodeRegistry([SourceNode.self, SumNode.self, HistogramSourceNode.self, TableWriterNode.self,
                                 FileSourceNode.self])

import Foundation
