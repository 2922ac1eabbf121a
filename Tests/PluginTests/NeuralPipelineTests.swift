import Foundation
import StainModels
import Vips
import XCTest

/// The shipped network pipelines run end to end with small random networks.
final class NeuralPipelineTests: PipelineTestCase {
    var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testStainUnpairedPipelineWritesAPyramidalTiff() throws {
        let weights = path("g.safetensors")
        try ResnetGenerator(config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1),
                            seed: 5).save(to: weights)
        let text = try String(contentsOf: repository.appendingPathComponent("pipelines/stain-unpaired.yaml"),
                              encoding: .utf8)
        let output = path("stained.tif")
        let source = repository.appendingPathComponent("samples/darkfield-source.png").path
        let reference = repository.appendingPathComponent("samples/brightfield-reference.png").path
        // A 64×48 crop of the sample keeps the debug-build run small.
        let crop = path("x.png")
        try VipsImage(contentsOf: source).crop(x: 0, y: 0, width: 64, height: 48).write(to: crop)
        try run(text, .init(overrides: ["input=\(crop)", "reference=\(reference)", "weights=\(weights)",
                                        "filters=4", "blocks=1", "tile=32", "output=\(output)"]))
        let image = try VipsImage(contentsOf: output)
        XCTAssertEqual([image.width, image.height, image.bands], [64, 48, 3])
    }
}
