import Foundation
import XCTest

/// `stain describe` and `stain graph` work from the pipeline file alone: its inputs and weights need not exist.
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

    func testDescribeNeedsNoInputFiles() throws {
        let pipeline = try writeUnready()
        XCTAssertEqual(try stain(["validate", pipeline]).status, 2, "the inputs are missing")
        let r = try stain(["describe", "unready.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for expected in [
            "pipeline 'unready' (unready.yaml)\n  Stains a slide that has not been scanned yet.\n",
            "  input = slides/later.svs  (from the file, line 4)\n    used by x.path\n",
            "  weights = none.safetensors  (from the file, line 6)\n    used by g.weights\n",
            "  spare = 3  (from the file, line 8)\n    not used\n",
            "nodes:\n  x: read\n    path: slides/later.svs\n",
            "  z: histogram-matcher\n    mode: inverse\n    source: x\n    reference: ref\n",
            "variants:\n  zscore:\n    z: histogram-matcher → zscore-normalizer (drops mode, reference)\n    z.invert: true\n",
            "  enhance-only:\n    g: removed\n    save.source: g → z\n    save.quality: 80\n",
        ] {
            XCTAssertTrue(r.stdout.contains(expected), "expected\n\(expected)\nin\n\(r.stdout)")
        }
    }

    func testDescribeShowsSetValuesAndTheVariant() throws {
        let pipeline = try writeUnready()
        let r = try stain(["describe", pipeline, "--variant", "zscore", "--set", "output=here.tif", "--set", "g.filters=8"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Paths in the file are relative to it; the --set one to the current folder.
        for expected in [
            "  output = here.tif  (from --set, relative to the current folder)\n    used by save.path\n",
            "nodes (variant zscore):\n  x: read\n    path: \(folder.path)/slides/later.svs\n",
            "  z: zscore-normalizer\n    source: x\n    invert: true\n",
            "    filters: 8\n",
            "    path: here.tif\n",
        ] {
            XCTAssertTrue(r.stdout.contains(expected), "expected\n\(expected)\nin\n\(r.stdout)")
        }
        let bad = try stain(["describe", pipeline, "--set", "ouput=x.tif", "--variant", "zscor"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("key 'ouput': no such pipeline parameter (did you mean 'output'?)"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("unknown variant 'zscor'; known: zscore, enhance-only"), bad.stderr)
        XCTAssertEqual(bad.stdout, "")
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
