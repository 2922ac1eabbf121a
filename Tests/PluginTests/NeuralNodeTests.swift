import Foundation
import NeuralKernels
@testable import NeuralPlugins
import StainKit
import StainCore
import StainModels
import Vips
import XCTest

/// The network nodes: tiled streaming against whole-image runs, weights validation, determinism.
final class NeuralNodeTests: PipelineTestCase {
    /// A tiny student (filters 4, 1 block) with seeded random weights, saved as safetensors.
    func tinyStudentWeights(seed: UInt64 = 7, junyanz: Bool = false) throws -> String {
        let generator = try ResnetGenerator(
            config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1), seed: seed)
        let target = path(junyanz ? "student-junyanz.safetensors" : "student.safetensors")
        try (junyanz ? generator.junyanzStateDict() : generator.stateDict()).save(target)
        return target
    }

    /// A smooth pattern with texture, `bands` bands (deterministic).
    func pattern(width: Int, height: Int, bands: Int, phase: Double) -> [UInt8] {
        var values: [UInt8] = []
        var state: UInt32 = 12345 &+ UInt32(phase * 1000)
        for y in 0..<height {
            for x in 0..<width {
                for b in 0..<bands {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    let wave = sin(Double(x) * 0.13 + phase + Double(b)) * cos(Double(y) * 0.09 - phase)
                    let noise = Double(state >> 24) / 255 - 0.5
                    values.append(UInt8(max(0, min(255, 128 + 90 * wave + 40 * noise)).rounded()))
                }
            }
        }
        return values
    }

    /// Runs the student over the test pair with the given node settings; returns the output pixels.
    func stain(_ settings: String, weights: String, name: String, size: (Int, Int) = (96, 80),
               extraKeys: String = "filters: 4, blocks: 1") throws -> [UInt8] {
        let (width, height) = size
        let x = try save(pattern(width: width, height: height, bands: 3, phase: 0.3), width: width, height: height,
                         bands: 3, as: "x-\(width).png")
        let z = try save(pattern(width: width, height: height, bands: 1, phase: 1.1), width: width, height: height,
                         bands: 1, as: "z-\(width).png")
        try run("""
            pipeline: t
            nodes:
              x:    {type: read, path: \(x)}
              z:    {type: read, path: \(z)}
              g:    {type: student-generator, darkfield: x, enhanced: z, weights: \(weights), \(extraKeys), \(settings)}
              save: {type: write, source: g, path: \(path(name))}
            """)
        let out = try pixels(path(name))
        XCTAssertEqual(out.width, width)
        XCTAssertEqual(out.height, height)
        XCTAssertEqual(out.bands, 3)
        return out.values
    }

    func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int { zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0 }

    func testTiledGlobalStatisticsMatchWholeImageAndPerTileDoesNot() throws {
        let weights = try tinyStudentWeights()
        let whole = try stain("tile-size: 96", weights: weights, name: "whole.png")
        let global = try stain("tile-size: 32, norm: global", weights: weights, name: "global.png")
        let perTile = try stain("tile-size: 32, norm: per-tile", weights: weights, name: "per-tile.png")
        XCTAssertLessThanOrEqual(maxDifference(global, whole), 1, "global statistics + full halo: seamless")
        XCTAssertGreaterThan(maxDifference(perTile, whole), 4, "per-tile statistics shift tiles")
        // A halo below the receptive field (tiny net: 20 px) is not enough, even with global statistics.
        let shortHalo = try stain("tile-size: 32, norm: global, halo-cap: 8", weights: weights, name: "short.png")
        XCTAssertGreaterThan(maxDifference(shortHalo, whole), 1)
        // Deterministic: the same run gives the same bytes.
        XCTAssertEqual(try stain("tile-size: 32, norm: global", weights: weights, name: "again.png"), global)
    }

    func testWholeImageRunEqualsTheReferenceGenerator() throws {
        let weights = try tinyStudentWeights(junyanz: true)  // junyanz names load too
        let out = try stain("tile-size: 64", weights: weights, name: "small.png", size: (64, 48))
        // Reference: StainModels' generator on the same input tensor.
        let generator = try ResnetGenerator(
            config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1), seed: 7)
        let x = pattern(width: 64, height: 48, bands: 3, phase: 0.3)
        let z = pattern(width: 64, height: 48, bands: 1, phase: 1.1)
        let plane = 64 * 48
        var input = [Float](repeating: 0, count: 4 * plane)
        for i in 0..<plane {
            for b in 0..<3 { input[b * plane + i] = (Float(x[i * 3 + b]) - 127.5) / 127.5 }
            input[3 * plane + i] = (Float(z[i]) - 127.5) / 127.5
        }
        let y = try generator.forward(Tensor(shape: [1, 4, 48, 64], scalars: input)).scalars
        var expected = [UInt8](repeating: 0, count: 3 * plane)
        for i in 0..<plane {
            for b in 0..<3 { expected[i * 3 + b] = UInt8(max(0, min(255, (127.5 * y[b * plane + i] + 127.5).rounded()))) }
        }
        XCTAssertLessThanOrEqual(maxDifference(out, expected), 1)
        XCTAssertGreaterThan(Set(out).count, 20, "a real picture, not a constant")
    }

    func testKernelNormIsBetweenPerTileAndGlobal() throws {
        let weights = try tinyStudentWeights()
        let whole = try stain("tile-size: 96", weights: weights, name: "whole.png")
        let kernel = try stain("tile-size: 32, norm: kernel", weights: weights, name: "kernel.png")
        let perTile = try stain("tile-size: 32, norm: per-tile", weights: weights, name: "per-tile.png")
        func meanError(_ a: [UInt8]) -> Double {
            Double(zip(a, whole).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(whole.count)
        }
        XCTAssertLessThan(meanError(kernel), meanError(perTile), "neighbour-smoothed statistics are closer")
    }

    func testLayerwiseStatisticsOverTilesAreExactAndAThumbnailIsNot() throws {
        let weights = try tinyStudentWeights()
        let whole = try stain("tile-size: 96", weights: weights, name: "whole.png")
        // statistics-size 32: the image (96×80) is too large for a whole-image statistics pass.
        let thumbnail = try stain("tile-size: 32, statistics-size: 32, statistics: thumbnail", weights: weights,
                                  name: "thumbnail.png")
        let layerwise = try stain("tile-size: 32, statistics-size: 32, statistics: layerwise", weights: weights,
                                  name: "layerwise.png")
        XCTAssertGreaterThan(maxDifference(thumbnail, whole), 1, "a thumbnail's statistics are only approximate")
        XCTAssertLessThanOrEqual(maxDifference(layerwise, whole), 1, "layer-by-layer sums over tile centres are exact")
        // Sampling every one of the 3×3 tiles is the layer-wise computation; sampling 2 of them is not exact.
        let allSampled = try stain("tile-size: 32, statistics-size: 32, statistics: sampled, statistics-tiles: 9",
                                   weights: weights, name: "sampled9.png")
        XCTAssertLessThanOrEqual(maxDifference(allSampled, whole), 1, "all tiles sampled: exact")
        let twoSampled = try stain("tile-size: 32, statistics-size: 32, statistics: sampled, statistics-tiles: 2",
                                   weights: weights, name: "sampled2.png")
        XCTAssertGreaterThan(maxDifference(twoSampled, whole), 1, "two of nine tiles: approximate")
    }

    func testWrongShapeWeightsAreAValidationErrorNamingTheTensor() throws {
        let weights = try tinyStudentWeights()
        XCTAssertThrowsError(try stain("tile-size: 32", weights: weights, name: "bad.png",
                                       extraKeys: "filters: 8, blocks: 1")) { error in
            XCTAssertTrue(error is PipelineInvalid, "\(error)")
            XCTAssertTrue("\(error)".contains("model_head.1.weight"), "\(error)")
            XCTAssertTrue("\(error)".contains("key 'weights'"), "\(error)")
        }
        XCTAssertThrowsError(try stain("tile-size: 32", weights: weights, name: "bad.png",
                                       extraKeys: "filters: 4, blocks: 2")) { error in
            XCTAssertTrue("\(error)".contains("model_body.1.conv_block.1.weight"), "\(error)")
        }
    }

    /// `stain validate` reads only a weights file's header: a file whose header fits but whose values are garbage
    /// (all bytes 0xFF: every F32 a NaN) passes validation, which a full load would refuse, and the run refuses it
    /// as an unreadable input naming the file and the tensor.
    func testValidationReadsOnlyTheHeaderAndTheRunRefusesABadPayload() throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: try tinyStudentWeights()))
        let headerLength = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        let payload = 8 + Int(headerLength)
        data.replaceSubrange(payload..<data.count, with: [UInt8](repeating: 0xFF, count: data.count - payload))
        let weights = path("garbage.safetensors")
        try data.write(to: URL(fileURLWithPath: weights))
        let x = try save(pattern(width: 32, height: 32, bands: 3, phase: 0.3), width: 32, height: 32, bands: 3, as: "x.png")
        let z = try save(pattern(width: 32, height: 32, bands: 1, phase: 1.1), width: 32, height: 32, bands: 1, as: "z.png")
        let graph = try Validator(registry: Catalog.registry).validate(PipelineDocument.parse("""
            pipeline: t
            nodes:
              x:    {type: read, path: \(x)}
              z:    {type: read, path: \(z)}
              g:    {type: student-generator, darkfield: x, enhanced: z, weights: \(weights), filters: 4, blocks: 1}
              save: {type: write, source: g, path: \(path("out.png"))}
            """, file: "test.yaml"), .init())
        XCTAssertThrowsError(try Executor(graph: graph, context: RunContext(threads: 1)).run()) { error in
            guard let error = error as? NodeRunError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .unreadableInput)
            XCTAssertTrue(error.message.contains("node 'g' (student-generator): key 'weights': '\(weights)': tensor "
                                                 + "'model_head.1.weight' holds NaN values (first at index 0)"), error.message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.png")))
    }

    /// A header that does not fit the network is refused at validation, at the `weights` key, as an unreadable
    /// input naming the tensor, for each network node: G (either layout), the colorizer (`module.` prefix, width
    /// from the file) and R.
    func testHeadersThatDoNotFitAreUnreadableInputsAtValidation() throws {
        func problems(_ node: String, _ weights: StateDict, named name: String) throws -> [Diagnostic] {
            let file = path(name)
            try weights.save(file)
            do {
                _ = try Validator(registry: Catalog.registry).validate(PipelineDocument.parse("""
                    pipeline: t
                    nodes:
                      x: {type: read, path: \(path("x.png"))}
                      n: {\(node.replacingOccurrences(of: "WEIGHTS", with: file))}
                      o: {type: write, source: n.out, path: \(path("out.png"))}
                    """, file: "test.yaml"), .init())
            } catch let invalid as PipelineInvalid {
                return invalid.diagnostics
            }
            XCTFail("\(name) passed validation")
            return []
        }
        func assertRefused(_ diagnostics: [Diagnostic], _ fragments: [String], line: UInt = #line) {
            XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)", line: line)
            guard let d = diagnostics.first else { return }
            XCTAssertEqual(d.key, "weights", line: line)
            XCTAssertEqual(d.kind, .unreadableInput, line: line)
            for fragment in fragments { XCTAssertTrue(d.message.contains(fragment), d.message, line: line) }
        }
        _ = try save(pattern(width: 32, height: 32, bands: 3, phase: 0.3), width: 32, height: 32, bands: 3, as: "x.png")
        let student = "type: student-generator, darkfield: x, enhanced: x, weights: WEIGHTS, filters: 4, blocks: 1"
        let generator = try ResnetGenerator(
            config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1), seed: 1)
        var junyanz = try generator.junyanzStateDict()
        junyanz["model.10.conv_block.5.bias"] = Tensor(zeros: [5])
        assertRefused(try problems(student, junyanz, named: "g-junyanz.safetensors"),
                      ["tensor 'model_body.0.conv_block.5.bias' has shape [5], expected [16]", "(filters 4, blocks 1)"])
        var extra = generator.stateDict()
        extra["model_tail.9.weight"] = Tensor(zeros: [1])
        assertRefused(try problems(student, extra, named: "g-extra.safetensors"), ["unexpected tensor 'model_tail.9.weight'"])

        let colorizer = "type: colorizer, source: x, weights: WEIGHTS"
        var teacher = StateDict(SIGGRAPHColorizer(width: 2, seed: 1).stateDict().items.map { ("module." + $0.0, $0.1) })
        teacher["module.model_out.0.weight"] = nil
        assertRefused(try problems(colorizer, teacher, named: "teacher.safetensors"), ["missing tensor 'model_out.0.weight'"])
        assertRefused(try problems(colorizer, StateDict([("model1.0.weight", Tensor(zeros: [2, 1, 3, 3]))]), named: "gray.safetensors"),
                      ["tensor 'model1.0.weight' has shape [2, 1, 3, 3], expected [-1, 3, 3, 3]"])

        let warp = "type: registration-warp, moving: x, fixed: x, weights: WEIGHTS, registration-width: 4, registration-depth: 2"
        let r = try RegistrationNet(config: .scaled(width: 8, depth: 2), seed: 1)
        assertRefused(try problems(warp, r.stateDict(), named: "r.safetensors"),
                      ["tensor 'offset_map.down_1.conv_0.conv2d.weight' has shape [4, 6, 3, 3], expected [2, 6, 3, 3]",
                       "(registration width 4, depth 2)"])
    }

    func testTilingSettingsOffTheStrideGridAreValidationErrors() throws {
        let weights = try tinyStudentWeights()
        for (settings, key) in [("tile-size: 36", "tile-size"), ("tile-size: 32, overlap: 12", "overlap"),
                                ("tile-size: 32, overlap: 8, norm: kernel", "overlap")] {
            XCTAssertThrowsError(try stain(settings, weights: weights, name: "bad.png")) { error in
                XCTAssertTrue(error is PipelineInvalid, "\(error)")
                XCTAssertTrue("\(error)".contains("key '\(key)'"), "\(settings): \(error)")
            }
        }
        // Blending on the stride grid works and, with global statistics, is still exact.
        let whole = try stain("tile-size: 96", weights: weights, name: "whole.png")
        XCTAssertLessThanOrEqual(maxDifference(try stain("tile-size: 32, overlap: 8", weights: weights,
                                                         name: "blended.png"), whole), 1)
    }

    func testReceptiveFieldAndHalo() throws {
        // One 3×3 conv: 1 pixel. A stride-2 3×3 conv then a 3×3 stride-2 transposed conv: an odd output pixel
        // reads 2 low-resolution pixels, i.e. input −1…3 around it: radius 2, aligned to the stride 2.
        XCTAssertEqual(ReceptiveField([.conv(kernel: 3, padding: 1)]).radius, 1)
        let strided = ReceptiveField([.conv(kernel: 3, stride: 2, padding: 1),
                                      .convTranspose(kernel: 3, stride: 2, padding: 1)])
        XCTAssertEqual(strided.radius, 2)
        XCTAssertEqual(strided.alignment, 2)
        XCTAssertEqual(ReceptiveField([.conv(kernel: 3, stride: 2, padding: 1), .conv(kernel: 3, padding: 1),
                                       .convTranspose(kernel: 3, stride: 2, padding: 1)]).halo, 4)
        XCTAssertEqual(ReceptiveField.resnetGenerator(blocks: 9).halo, StudentGeneratorNode.descriptor.halo)
        // The halos docs/nodes.md and docs/whole-slides.md state: G at its default 9 blocks, and the colorizer.
        XCTAssertEqual(StudentGeneratorNode.descriptor.halo, 84)
        XCTAssertEqual(ColorizerNode.descriptor.halo, 192)
        // The halo follows the blocks parameter: the bundled 3-block student needs less context.
        let threeBlocks = try StudentGeneratorNode.halo(Configuration(StudentGeneratorNode.Declaration(),
                                                                      ParameterValues(["blocks": .int(3)])))
        XCTAssertEqual(threeBlocks, ReceptiveField.resnetGenerator(blocks: 3).halo)
        XCTAssertLessThan(threeBlocks, 84)
        XCTAssertEqual(ReceptiveField.resnetGenerator(blocks: 9).alignment, 4)
        XCTAssertEqual(ReceptiveField.colorizer.alignment, 8)
        // Each residual block adds two 3×3 convs at 1/4 resolution: 8 input pixels.
        XCTAssertEqual(ReceptiveField.resnetGenerator(blocks: 2).radius - ReceptiveField.resnetGenerator(blocks: 1).radius, 8)
        print("receptive field radius / halo: generator 9 blocks \(ReceptiveField.resnetGenerator(blocks: 9).radius)"
              + "/\(ReceptiveField.resnetGenerator(blocks: 9).halo), 1 block \(ReceptiveField.resnetGenerator(blocks: 1).radius)"
              + "/\(ReceptiveField.resnetGenerator(blocks: 1).halo), colorizer \(ReceptiveField.colorizer.radius)"
              + "/\(ReceptiveField.colorizer.halo)")
    }
}
