import Foundation
import StainCore
import Vips
import XCTest

/// What the executor guarantees about node outputs and failures: image tags that match their band format, and a
/// failure traced back to a damaged input file.
final class ImageOutputTests: XCTestCase {
    /// Makes 8-bit pixels tagged grey16 — what `cast` leaves behind after a 16-bit source.
    struct MislabelledNode: StainNode {
        static let name = "mislabelled"
        static let summary = "test: 8-bit tagged grey16"
        struct Declaration: NodeDeclaration {
            let out = OutputPort("out", bands: .fixed(1), doc: "image")
        }
        init(_ p: Configuration<Declaration>) throws {}
        static func image() throws -> VipsImage {
            try VipsImage.from(buffer: [UInt8](repeating: 7, count: 16), width: 4, height: 4, bands: 1, interpretation: .grey16)
        }
        func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
            [\.out: .image(try Self.image())]
        }
    }

    /// Records the interpretation of what it receives; fails on request (as a write would on a damaged source).
    struct ProbeNode: StainNode {
        static let name = "probe"
        static let summary = "test: records its input's tag"
        struct Declaration: NodeDeclaration {
            let source = InputPort("source", doc: "image")
            let out = OutputPort("out", .table, doc: "t")
            let fail = Parameter("fail", default: false, doc: "throw")
        }
        nonisolated(unsafe) static var seen: Interpretation?
        let fail: Bool
        init(_ p: Configuration<Declaration>) throws { fail = try p.fail }
        func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
            Self.seen = try inputs.image(\.source).interpretation
            if fail { throw VipsError("vipspng: libpng read error") }
            return [\.out: .table(Table(columns: ["v"]))]
        }
    }

    /// A source whose file turns out damaged when checked.
    struct DamagedSourceNode: StainNode, InputFileChecking {
        static let name = "damaged-source"
        static let summary = "test: a damaged file"
        struct Declaration: NodeDeclaration {
            let out = OutputPort("out", bands: .fixed(1), doc: "image")
        }
        init(_ p: Configuration<Declaration>) throws {}
        func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
            [\.out: .image(try MislabelledNode.image())]
        }
        func inputDamage() -> NodeRunError? { NodeRunError(.unreadableInput, "'cut.png' is damaged or truncated") }
    }

    let registry = NodeRegistry([MislabelledNode.self, ProbeNode.self, DamagedSourceNode.self])

    func run(_ text: String) throws {
        let graph = try Validator(registry: registry).validate(PipelineDocument.parse(text, file: "p.yaml"))
        try Executor(graph: graph, context: RunContext(threads: 1)).run()
    }

    func testEveryImageOutputIsTaggedToMatchItsFormat() throws {
        try run("pipeline: p\nnodes:\n  m: {type: mislabelled}\n  p: {type: probe, source: m}\n")
        XCTAssertEqual(ProbeNode.seen, .bw, "8-bit pixels never travel tagged grey16")
    }

    func testAFailureIsTracedToADamagedInputFile() {
        XCTAssertThrowsError(try run("pipeline: p\nnodes:\n  d: {type: damaged-source}\n  p: {type: probe, source: d, fail: true}\n")) {
            error in
            let run = error as? NodeRunError
            XCTAssertEqual(run?.kind, .unreadableInput)
            XCTAssertEqual(run?.message, "node 'd' (damaged-source): 'cut.png' is damaged or truncated")
        }
        // Without a damaged input the failure stays a failure, with libvips' text and no type dump.
        XCTAssertThrowsError(try run("pipeline: p\nnodes:\n  m: {type: mislabelled}\n  p: {type: probe, source: m, fail: true}\n")) {
            error in
            let run = error as? NodeRunError
            XCTAssertEqual(run?.kind, .failure)
            XCTAssertEqual(run?.message, "node 'p' (probe): vipspng: libpng read error")
        }
    }
}
