import Foundation
import StainCore
import XCTest

/// The path rule (docs/pipeline-files.md, "Paths"): a relative path written in the pipeline file is relative to the
/// file's folder, one given with `--set` to the current folder; `$name` carries its value's origin.
final class PipelinePathsTests: XCTestCase {
    func testResolveAgainstAFolder() {
        let cases: [(path: String, folder: String, expected: String)] = [
            ("a.png", "pipelines", "pipelines/a.png"),
            ("../samples/x.png", "pipelines", "samples/x.png"),
            ("../../x.png", "a", "../x.png"),
            ("./x/./y/", "/p/q", "/p/q/x/y"),
            ("../../..", "/a", "/"),
            ("..", "pipelines", "."),
            ("../x.png", "", "../x.png"),        // a file named without a folder: the current folder, kept as written
            ("/abs/x.png", "pipelines", "/abs/x.png"),
            ("", "pipelines", ""),                 // empty: "no file" for an optional file
        ]
        for c in cases {
            XCTAssertEqual(PipelinePaths.resolve(c.path, against: c.folder), c.expected, "\(c.path) against \(c.folder)")
        }
    }

    let text = """
        pipeline: p
        params:
          input: data/a.bin
          output: ../results/o.csv
          dir: sub
          label: data/not-a-path
          unused: 1
        nodes:
          f:   {type: file-source, path: $input}
          g:   {type: file-source, path: "${dir}/b.bin"}
          abs: {type: file-source, path: /elsewhere/c.bin}
          s:   {type: source, label: $label}
          w:   {type: table-writer, source: f, path: $output}
          v:   {type: table-writer, source: g, path: "out/${dir}.csv"}
        variants:
          other: {w: {path: other.csv}}
        """

    func resolve(_ settings: PipelineSettings = .init()) throws -> ResolvedPipeline {
        let pipeline = ResolvedPipeline(try PipelineDocument.parse(text, file: "/base/pipelines/p.yaml"), settings,
                                        registry: testRegistry)
        XCTAssertEqual(pipeline.diagnostics, [])
        return pipeline
    }

    func setting(_ pipeline: ResolvedPipeline, _ node: String, _ key: String) -> PipelineDocument.Setting? {
        pipeline.nodes.first { $0.id == node }?.value(key)
    }

    func testPathsWrittenInTheFileAreRelativeToIt() throws {
        let pipeline = try resolve()
        XCTAssertEqual(setting(pipeline, "f", "path")?.text, "/base/pipelines/data/a.bin")
        XCTAssertEqual(setting(pipeline, "g", "path")?.text, "/base/pipelines/sub/b.bin")
        XCTAssertEqual(setting(pipeline, "abs", "path")?.text, "/elsewhere/c.bin")
        XCTAssertEqual(setting(pipeline, "w", "path")?.text, "/base/results/o.csv")
        XCTAssertEqual(setting(pipeline, "v", "path")?.text, "/base/pipelines/out/sub.csv")
        XCTAssertEqual(setting(pipeline, "f", "path")?.origin, .file)
        // Text parameters are not paths, whatever they look like.
        XCTAssertEqual(setting(pipeline, "s", "label")?.text, "data/not-a-path")
        // A variant is written in the file too.
        XCTAssertEqual(setting(try resolve(.init(variant: "other")), "w", "path")?.text, "/base/pipelines/other.csv")
    }

    func testPathsGivenOnTheCommandLineAreRelativeToTheCurrentFolder() throws {
        let pipeline = try resolve(.init(overrides: ["output=o.csv", "dir=here", "abs.path=c.bin", "f.path=$output"]))
        XCTAssertEqual(setting(pipeline, "w", "path")?.text, "o.csv")
        XCTAssertEqual(setting(pipeline, "w", "path")?.origin, .commandLine)
        XCTAssertEqual(setting(pipeline, "abs", "path")?.text, "c.bin")
        // `${dir}` starts the path, so the path follows `dir`; in `out/${dir}.csv` the file's `out/` does.
        XCTAssertEqual(setting(pipeline, "g", "path")?.text, "here/b.bin")
        XCTAssertEqual(setting(pipeline, "v", "path")?.text, "/base/pipelines/out/here.csv")
        XCTAssertEqual(setting(pipeline, "f", "path")?.text, "o.csv")
        // A `--set` naming a parameter the file gives takes the file's origin with its value.
        let fromFile = try resolve(.init(overrides: ["abs.path=$input"]))
        XCTAssertEqual(setting(fromFile, "abs", "path")?.text, "/base/pipelines/data/a.bin")
    }

    func testParamsKeepTheirOriginAndUses() throws {
        let pipeline = try resolve(.init(overrides: ["dir=here"]))
        let params = Dictionary(uniqueKeysWithValues: pipeline.params.map { ($0.name, $0) })
        XCTAssertEqual(pipeline.params.map(\.name), ["input", "output", "dir", "label", "unused"])
        XCTAssertEqual(params["input"]?.value.text, "data/a.bin", "a parameter is shown as written")
        XCTAssertEqual(params["input"]?.value.origin, .file)
        XCTAssertEqual(params["input"]?.value.location.line, 3)
        XCTAssertEqual(params["dir"]?.value.origin, .commandLine)
        XCTAssertEqual(params["dir"]?.usedBy, ["g.path", "v.path"])
        XCTAssertEqual(params["unused"]?.usedBy, [])
    }

    func testAMissingFileIsReportedResolvedAtItsPosition() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stain-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("p.yaml").path
        try "pipeline: p\nnodes:\n  f: {type: file-source, path: gone.bin}\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Validator(registry: testRegistry).validate(path: file)) { error in
            XCTAssertEqual((error as? PipelineInvalid)?.diagnostics.map(\.description),
                           ["\(file):3:32: node 'f', key 'path': missing file '\(folder.path)/gone.bin'"])
        }
        try Data().write(to: folder.appendingPathComponent("gone.bin"))
        XCTAssertNoThrow(try Validator(registry: testRegistry).validate(path: file))
    }
}

final class OptionalPathTests: XCTestCase {
    /// An optional path (empty default) takes an empty value, which names no file; a required one does not.
    func testEmptyIsNoFileOnlyForOptionalPaths() {
        let optional = ParameterSpec("w", .inputFile, default: .string(""), doc: "optional")
        let required = ParameterSpec("p", .inputFile, doc: "required")
        XCTAssertEqual(try optional.parse("").get(), .string(""))
        XCTAssertThrowsError(try required.parse("").get())
        XCTAssertEqual(PipelinePaths.resolve("", against: "pipelines"), "")
    }
}
