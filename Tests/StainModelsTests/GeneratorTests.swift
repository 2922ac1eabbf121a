import NeuralKernels
import XCTest
@testable import StainModels

/// G and F against PyTorch (docs/paper.md ("Networks")): real PyTorch weights for small configs, the deterministic formula for
/// the full-size G; junyanz names; safetensors round trip; bad weights files.
final class GeneratorTests: XCTestCase {
    func testSmallGeneratorMatchesPyTorch() throws {
        let io = try Fixture.load("generator_small.io")
        let g = try ResnetGenerator(config: .init(inputChannels: 4, outputChannels: 3, filters: 8, blocks: 2))
        try g.load(contentsOf: Fixture.path("generator_small.weights"))
        assertClose(try g.forward(io.tensor("input")), try io.tensor("output"), "G small (batch 2)")
        // The graph path (used in training) computes the same.
        assertClose(try g(Variable(io.tensor("input"))).value, try io.tensor("output"), "G small, Variable path")
    }

    func testSmallBackwardGeneratorMatchesPyTorchOnANonSquareInput() throws {
        let io = try Fixture.load("generator_small_f.io")
        let f = try ResnetGenerator(config: .init(inputChannels: 3, outputChannels: 3, filters: 8, blocks: 2))
        try f.load(contentsOf: Fixture.path("generator_small_f.weights"))
        assertClose(try f.forward(io.tensor("input")), try io.tensor("output"), "F small 24×20")
    }

    func testFullSizeGeneratorMatchesPyTorchWithDeterministicWeights() throws {
        let io = try Fixture.load("generator_full.io")
        let g = try ResnetGenerator(config: .student)
        XCTAssertEqual(g.parameterCount, 11_381_315)
        XCTAssertEqual(g.parameters.count, 48)
        g.loadDeterministicWeights()
        assertClose(try g.forward(io.tensor("input")), try io.tensor("output"), "G full 32²")
    }

    func testJunyanzWeightsLoadAndConvertBack() throws {
        let io = try Fixture.load("generator_small.io")
        let junyanz = try Fixture.load("generator_small_junyanz.weights")
        let config = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 8, blocks: 2)
        let g = try ResnetGenerator(config: config)
        try g.loadEitherLayout(contentsOf: Fixture.path("generator_small_junyanz.weights"))
        assertClose(try g.forward(io.tensor("input")), try io.tensor("output"), "G from junyanz names")
        let back = try g.junyanzStateDict()
        XCTAssertEqual(Set(back.names), Set(junyanz.names))
        for name in junyanz.names { XCTAssertEqual(back[name]?.scalars, junyanz[name]?.scalars, name) }

        // Old junyanz checkpoints carry InstanceNorm running statistics: they are ignored.
        var old = junyanz
        old["model.2.running_mean"] = Tensor(zeros: [8])
        old["model.2.num_batches_tracked"] = Tensor(zeros: [])
        let g2 = try ResnetGenerator(config: config, seed: 9)
        try g2.loadEitherLayout(old)
        XCTAssertEqual(g2.stateDict()["model_tail.7.weight"]?.scalars, g.stateDict()["model_tail.7.weight"]?.scalars)
    }

    func testSafetensorsRoundTripKeepsNamesOrderAndValues() throws {
        let g = try ResnetGenerator(config: .init(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1), seed: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("g-roundtrip-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try g.save(to: path)
        let loaded = try StateDict.load(path)
        XCTAssertEqual(loaded.names, g.stateDict().names)
        XCTAssertEqual(loaded.names.first, "model_head.1.weight")
        let h = try ResnetGenerator(config: g.config, seed: 4)
        XCTAssertNotEqual(h.stateDict()["model_head.1.weight"]?.scalars, g.stateDict()["model_head.1.weight"]?.scalars)
        try h.load(contentsOf: path)
        for (name, t) in g.stateDict().items { XCTAssertEqual(h.stateDict()[name]?.scalars, t.scalars, name) }
    }

    func testBadWeightsNameTheTensor() throws {
        let config = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 8, blocks: 2)
        let g = try ResnetGenerator(config: config)
        let good = try Fixture.load("generator_small.weights")
        let before = g.stateDict()["model_head.1.weight"]!.scalars

        var missing = good
        missing["model_body.1.conv_block.5.bias"] = nil
        XCTAssertThrowsError(try g.load(missing)) { error in
            XCTAssertEqual(error as? ModelError, .missingTensor(name: "model_body.1.conv_block.5.bias"))
            XCTAssertTrue("\(error)".contains("model_body.1.conv_block.5.bias"))
        }
        var wrongShape = good
        wrongShape["model_tail.0.weight"] = Tensor(zeros: [128, 256, 3, 3])
        XCTAssertThrowsError(try g.load(wrongShape)) { error in
            XCTAssertEqual(error as? ModelError, .shapeMismatch(name: "model_tail.0.weight", expected: [32, 16, 3, 3],
                                                                found: [128, 256, 3, 3]))
        }
        var extra = good
        extra["model_body.2.conv_block.1.weight"] = Tensor(zeros: [32, 32, 3, 3])
        XCTAssertThrowsError(try g.load(extra)) { error in
            XCTAssertEqual(error as? ModelError, .unexpectedTensor(name: "model_body.2.conv_block.1.weight"))
        }
        XCTAssertNoThrow(try g.load(extra, strict: false))
        // Failed loads changed nothing; the lenient one did.
        XCTAssertNotEqual(g.stateDict()["model_head.1.weight"]!.scalars, before)

        // A truncated file is rejected by the safetensors reader.
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("generator_small.weights")))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("g-cut-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try g.load(contentsOf: path))
    }

    func testFailedLoadLeavesWeightsUntouched() throws {
        let g = try ResnetGenerator(config: .init(inputChannels: 4, outputChannels: 3, filters: 8, blocks: 2))
        let before = g.stateDict()
        var bad = try Fixture.load("generator_small.weights")
        bad["model_tail.7.bias"] = Tensor(zeros: [4])
        XCTAssertThrowsError(try g.load(bad))
        for (name, t) in before.items { XCTAssertEqual(g.stateDict()[name]?.scalars, t.scalars, name) }
    }

    func testDefaultInitFollowsPyTorchBounds() throws {
        let g = try ResnetGenerator(config: .student, seed: 1)
        let sd = g.stateDict()
        // Conv: fan_in = C_in·k²; ConvTranspose (IOHW): fan_in = C_out·k².
        for (name, fanIn) in [("model_head.1.weight", 4 * 49), ("model_tail.0.weight", 128 * 9),
                              ("model_tail.0.bias", 128 * 9), ("model_body.0.conv_block.1.weight", 256 * 9)] {
            let v = try XCTUnwrap(sd[name]).scalars
            let bound = 1 / Float(fanIn).squareRoot()
            XCTAssertLessThanOrEqual(v.map(abs).max()!, bound, name)
            if v.count > 1000 {
                let variance = v.reduce(0) { $0 + $1 * $1 } / Float(v.count)
                XCTAssertEqual(variance, bound * bound / 3, accuracy: 0.05 * bound * bound / 3, name)
            }
        }
        let again = try ResnetGenerator(config: .student, seed: 1)
        XCTAssertEqual(again.stateDict()["model_tail.7.weight"]?.scalars, sd["model_tail.7.weight"]?.scalars)
    }

    func testBadInputsThrow() throws {
        let g = try ResnetGenerator(config: .init(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1))
        XCTAssertThrowsError(try g.forward(Tensor(zeros: [1, 3, 16, 16])))
        XCTAssertThrowsError(try g.forward(Tensor(zeros: [1, 4, 18, 16])))
        XCTAssertThrowsError(try g.forward(Tensor(zeros: [4, 16, 16])))
        XCTAssertThrowsError(try ResnetGenerator(config: .init(inputChannels: 0, outputChannels: 3)))
    }
}
