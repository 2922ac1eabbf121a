import Foundation
import XCTest

/// `stain graph` works from the pipeline file alone: its inputs and weights need not exist.
final class PipelineDiscoveryCLITests: CLITestCase {
    /// A pipeline whose input image and weights do not exist.
    func writeUnready() throws -> String {
        try write("""
            pipeline: unready
            description: Stains a slide that has not been scanned yet.
            params:
              input: slides/later.svs
              reference: ref.png
              weights: none.safetensors
              output: out/stained.tif
              spare: 3
            nodes:
              x:     {type: read, path: $input}
              ref:   {type: read, path: $reference}
              z:     {type: histogram-matcher, mode: inverse, source: x, reference: ref}
              g:     {type: student-generator, darkfield: x, enhanced: z, weights: $weights, filters: 4, blocks: 1}
              save:  {type: write, source: g, path: $output}
            variants:
              zscore:       {z: {type: zscore-normalizer, invert: true}}
              enhance-only: {g: ~, save: {source: z, quality: 80}}
            """, to: "unready.yaml")
    }

    func testGraphDrawsAPipelineWhoseInputsAreMissing() throws {
        let pipeline = try writeUnready()
        let r = try stain(["graph", pipeline])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("digraph \"unready\" {"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"x\" [label=\"x\\nread\\npath=\(folder.path)/slides/later.svs\"];"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"z\" -> \"g\" [label=\"out→enhanced\"];"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"g\" -> \"save\" [label=\"out→source\"];"), r.stdout)
        let variant = try stain(["graph", pipeline, "--variant", "enhance-only"])
        XCTAssertEqual(variant.status, 0, variant.stderr)
        XCTAssertTrue(variant.stdout.contains("\"z\" -> \"save\" [label=\"out→source\"];"), variant.stdout)
        XCTAssertFalse(variant.stdout.contains("\"g\""), variant.stdout)
    }

    func testGraphStillReportsProblemsWithThePipelineItself() throws {
        _ = try write("""
            pipeline: broken
            nodes:
              x: {type: read, path: missing.png}
              z: {type: histogram-matcher, mode: sideways, source: x, reference: y}
            """, to: "broken.yaml")
        let r = try stain(["graph", "broken.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("broken.yaml:4:38: node 'z', key 'mode': expected one of"), r.stderr)
        XCTAssertTrue(r.stderr.contains("node 'z', key 'reference': no node named 'y'"), r.stderr)
        XCTAssertFalse(r.stderr.contains("missing.png"), "files are not checked: \(r.stderr)")
    }
}
