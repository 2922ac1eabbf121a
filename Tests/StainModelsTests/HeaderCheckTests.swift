import NeuralKernels
import XCTest
@testable import StainModels

/// Checking a weights file from its names and shapes alone (what the network nodes do at validation, from the
/// safetensors header) must judge every file exactly as loading it does: the same error, or none.
final class HeaderCheckTests: XCTestCase {
    /// The error `body` throws, as text ("" when it throws none), so different error types compare too.
    private func outcome(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return ""
    }

    func testGeneratorHeaderCheckAgreesWithLoadingInEitherLayout() throws {
        let config = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 1)
        let g = try ResnetGenerator(config: config, seed: 3)
        let paper = g.stateDict(), junyanz = try g.junyanzStateDict()
        var cases: [(String, StateDict)] = [("paper", paper), ("junyanz", junyanz)]
        var missing = paper
        missing["model_head.4.bias"] = nil
        cases.append(("missing", missing))
        var wrong = junyanz
        wrong["model.1.weight"] = Tensor(zeros: [4, 4, 3, 3])
        cases.append(("wrong shape", wrong))
        var extra = paper
        extra["model_tail.8.weight"] = Tensor(zeros: [1])
        cases.append(("extra", extra))
        var buffers = junyanz
        buffers["model.2.running_mean"] = Tensor(zeros: [4])
        cases.append(("running statistics", buffers))
        var mixed = paper
        mixed["model.3.weight"] = Tensor(zeros: [1])
        cases.append(("mixed layouts", mixed))
        var badName = junyanz
        badName["model.x.weight"] = Tensor(zeros: [1])
        cases.append(("unparseable junyanz name", badName))
        cases.append(("other config", try ResnetGenerator(
            config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: 4, blocks: 2)).stateDict()))
        for (name, dict) in cases {
            let loaded = outcome { _ = try ResnetGenerator(config: config, weights: dict) }
            XCTAssertEqual(outcome { try ResnetGenerator.checkEitherLayout(dict.shapes, config: config) }, loaded, name)
            XCTAssertEqual(outcome { try g.loadEitherLayout(dict) }, loaded, name)
            if ["paper", "junyanz", "running statistics"].contains(name) { XCTAssertEqual(loaded, "", name) }
        }
        // Built from weights, with no random init: the same values.
        let built = try ResnetGenerator(config: config, weights: junyanz)
        for (key, value) in paper.items { XCTAssertEqual(built.stateDict()[key]?.scalars, value.scalars, key) }
        let shapes = try ResnetGenerator.parameterShapes(config: config)
        XCTAssertEqual(shapes.items.map(\.name), paper.names)
        XCTAssertEqual(shapes.items.map(\.shape), paper.items.map(\.1.shape))
    }

    func testColorizerHeaderCheckAgreesWithLoading() throws {
        let c = SIGGRAPHColorizer(width: 1, seed: 2)
        let plain = c.stateDict()
        let prefixed = StateDict(plain.items.map { ("module." + $0.0, $0.1) })
        var cases: [(String, StateDict)] = [("plain", plain), ("prefixed", prefixed)]
        var missing = prefixed
        missing["module.model9.1.bias"] = nil
        cases.append(("missing", missing))
        var both = prefixed
        both["model_out.0.bias"] = Tensor(zeros: [3])
        cases.append(("prefixed and plain duplicate", both))
        var gray = plain
        gray["model1.0.weight"] = Tensor(zeros: [1, 1, 3, 3])
        cases.append(("one input channel", gray))
        cases.append(("width 2", SIGGRAPHColorizer(width: 2).stateDict()))
        cases.append(("empty", StateDict()))
        for (name, dict) in cases {
            let loaded = outcome { _ = try SIGGRAPHColorizer(weights: dict, stripModulePrefix: true) }
            XCTAssertEqual(outcome { try SIGGRAPHColorizer.check(dict.shapes, stripModulePrefix: true) }, loaded, name)
            if ["plain", "prefixed", "width 2"].contains(name) { XCTAssertEqual(loaded, "", name) }
        }
        XCTAssertEqual(SIGGRAPHColorizer.parameterShapes(width: 1).items.map(\.shape), plain.items.map(\.1.shape))
        XCTAssertEqual(try SIGGRAPHColorizer(weights: prefixed, stripModulePrefix: true).stateDict()["model_out.0.weight"]?.scalars,
                       plain["model_out.0.weight"]?.scalars)
    }

    func testRegistrationHeaderCheckAgreesWithLoading() throws {
        let config = RegistrationConfig.scaled(width: 4, depth: 2)
        let r = try RegistrationNet(config: config, seed: 4)
        let good = r.stateDict()
        var wrong = good
        wrong["offset_map.output.conv2d.weight"] = Tensor(zeros: [2, 3, 3, 3])
        for (name, dict) in [("good", good), ("wrong", wrong), ("deeper", try RegistrationNet(config: .scaled(width: 4, depth: 3)).stateDict())] {
            let loaded = outcome { _ = try RegistrationNet(config: config, weights: dict) }
            XCTAssertEqual(outcome { try RegistrationNet.parameterShapes(config: config).check(dict.shapes) }, loaded, name)
            XCTAssertEqual(loaded.isEmpty, name == "good", "\(name): \(loaded)")
        }
    }
}
