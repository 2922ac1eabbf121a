import Foundation
import StainCore
import StainKit
import StainModels
import Vips
import XCTest

/// Tissue-aware tiling: with a mask, glass tiles are filled with background instead of computed, the counts are
/// reported, tissue tiles equal the unmasked run's, and the physical pixel size reaches the written file.
final class TissueAwareTilingTests: PipelineTestCase {
    var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testGlassTilesAreSkippedAndTissueTilesAreUnchanged() throws {
        // A "slide" 256×128 at 0.5 µm/px: a dark-field tissue crop on the left third, black glass elsewhere (>50 %).
        let tissue = try VipsImage(contentsOf: repository.appendingPathComponent("samples/darkfield-source.png").path)
            .crop(x: 0, y: 0, width: 80, height: 128)
        let slide = try tissue.call("embed", ["x": .int(0), "y": .int(0), "width": .int(256), "height": .int(128),
                                              "extend": .enumeration("black")])
            .withResolution(x: 2000, y: 2000)
        let input = path("slide.tif")
        try slide.write(to: input)
        let weights = path("g.safetensors")
        try ResnetGenerator(config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1),
                            seed: 3).save(to: weights)
        let reference = repository.appendingPathComponent("samples/brightfield-reference.png").path
        func pipeline(masked: Bool, output: String) -> String {
            """
            pipeline: tissue
            nodes:
              slide:   {type: read, path: \(input)}
              ref:     {type: read, path: \(reference)}
              enhance: {type: histogram-matcher, source: slide, reference: ref}
              mask:    {type: tissue-mask, source: slide, signal: brightness, cleanup: 1}
              stain:   {type: student-generator, darkfield: slide, enhanced: enhance, weights: \(weights), filters: 4,
                        blocks: 1, tile-size: 32\(masked ? ", mask: mask" : "")}
              save:    {type: write, source: stain, path: \(output)}
            """
        }
        let masked = path("masked.tif"), plain = path("plain.tif")
        // Run with a provenance record, which reports the tile counts.
        let graph = try Validator(registry: Catalog.registry)
            .validate(PipelineDocument.parse(pipeline(masked: true, output: masked), file: path("tissue.yaml")))
        try Executor(graph: graph, context: RunContext(threads: 1),
                     provenance: Provenance(graph: graph, settings: .init(), versions: [:])).run()
        try run(pipeline(masked: false, output: plain))

        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: masked + ".provenance.json")))
        let nodes = (sidecar as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
        let tiles = nodes.first { $0["id"] as? String == "stain" }?["tiles"] as? [String: Int]
        let computed = tiles?["computed"] ?? -1, skipped = tiles?["skipped"] ?? -1
        XCTAssertEqual(computed + skipped, 8 * 4, "a 32-pixel grid over 256×128")
        XCTAssertGreaterThan(skipped, computed, "most of the slide is glass: \(computed) computed, \(skipped) skipped")

        let a = try VipsImage(contentsOf: masked), b = try VipsImage(contentsOf: plain)
        XCTAssertEqual(a.xres, 2000, accuracy: 0.01, "the pixel size survives the network node and the writer")
        let pa = try a.pixels(as: UInt8.self), pb = try b.pixels(as: UInt8.self)
        var worst = 0
        for y in 0..<128 {
            for x in 0..<64 {       // columns 0…63: tiles well inside the tissue
                for c in 0..<3 { worst = max(worst, abs(Int(pa[(y * 256 + x) * 3 + c]) - Int(pb[(y * 256 + x) * 3 + c]))) }
            }
        }
        XCTAssertLessThanOrEqual(worst, 1, "inside the tissue, the masked run equals the unmasked one")
        // Far on the glass, skipped tiles are background white.
        XCTAssertEqual(Array(pa[((100 * 256) + 250) * 3 ..< ((100 * 256) + 250) * 3 + 3]), [255, 255, 255])
    }
}
