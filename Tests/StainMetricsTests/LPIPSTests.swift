import Foundation
import NeuralKernels
import XCTest
@testable import StainMetrics

final class LPIPSTests: XCTestCase {
    /// The fixture's random AlexNet + lin weights as a state dict (conv weights = int8 × per-tensor scale).
    static func fixtureWeights(_ f: FixtureFile) throws -> StateDict {
        var dict = StateDict()
        for l in LPIPSAlexNet.layers {
            let q = try f.int8s("\(l.name).weight.q"), scale = try f.floats("\(l.name).weight.scale")[0]
            dict["\(l.name).weight"] = try Tensor(shape: try f.shape("\(l.name).weight.q"),
                                                  scalars: q.map { Float($0) * scale })
            dict["\(l.name).bias"] = try Tensor(shape: [l.outChannels], scalars: try f.floats("\(l.name).bias"))
        }
        for (k, c) in LPIPS.channels.enumerated() {
            dict["lin\(k).model.1.weight"] = try Tensor(shape: [1, c, 1, 1], scalars: try f.floats("lin\(k).model.1.weight"))
        }
        return dict
    }

    func image(_ f: FixtureFile, _ key: String) throws -> MetricImage {
        let im = try f.image(key)
        return try MetricImage(width: im.width, height: im.height, channels: im.channels, bytes: im.bytes)
    }

    func testLPIPSMatchesReferencePackage() throws {
        let f = try FixtureFile("lpips.safetensors")
        let lpips = try LPIPS(weights: Self.fixtureWeights(f))
        for i in 0..<3 {
            let a = try image(f, "a\(i)"), b = try image(f, "b\(i)")
            let layers = try lpips.layerDistances(a, b)
            let expected = try f.doubles("layers\(i)")
            for k in 0..<5 { XCTAssertEqual(layers[k], expected[k], accuracy: 1e-6, "pair \(i) layer \(k)") }
            XCTAssertEqual(try lpips.distance(a, b), try f.scalar("lpips\(i)"), accuracy: 1e-5, "pair \(i)")
        }
        XCTAssertEqual(try lpips.distance(image(f, "a0"), image(f, "a0")), 0, accuracy: 1e-9)
    }

    func testLPIPSColorFreeMatchesReference() throws {
        let f = try FixtureFile("lpips.safetensors")
        let lpips = try LPIPS(weights: Self.fixtureWeights(f))
        let value = try lpips.colorFreeDistance(prediction: image(f, "lpipsc_pred"), enhanced: image(f, "lpipsc_z"))
        XCTAssertEqual(value, try f.scalar("lpipsc"), accuracy: 1e-5)
    }

    func testWeightsFileAndErrors() throws {
        let f = try FixtureFile("lpips.safetensors")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stainmetrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lpips.safetensors").path
        var weights = try Self.fixtureWeights(f)
        try weights.save(path)
        let env = [LPIPSWeights.environmentVariable: path]
        let loaded = try LPIPS(contentsOf: LPIPSWeights.pathFromEnvironment(env))
        XCTAssertEqual(try loaded.distance(image(f, "a1"), image(f, "b1")), try f.scalar("lpips1"), accuracy: 1e-5)

        XCTAssertThrowsError(try LPIPSWeights.pathFromEnvironment([:])) { error in
            XCTAssertTrue("\(error)".contains(LPIPSWeights.environmentVariable))
            XCTAssertTrue("\(error)".contains("convert_weights.py"))
        }
        XCTAssertThrowsError(try LPIPS(contentsOf: dir.appendingPathComponent("nope.safetensors").path)) { error in
            XCTAssertTrue("\(error)".contains("nope.safetensors does not exist"))
        }
        weights["lin3.model.1.weight"] = nil
        XCTAssertThrowsError(try LPIPS(weights: weights)) { XCTAssertTrue("\($0)".contains("lin3.model.1.weight")) }

        let small = try MetricImage(width: 30, height: 40, channels: 3, pixels: [Float](repeating: 1, count: 3600))
        XCTAssertThrowsError(try loaded.distance(small, small)) { XCTAssertTrue("\($0)".contains("31×31")) }
        XCTAssertThrowsError(try loaded.distance(image(f, "a0"), image(f, "a2")))
        let smallest = try MetricImage(width: 31, height: 31, channels: 3,
                                       pixels: (0..<(31 * 31 * 3)).map { Float($0 % 251) })
        XCTAssertEqual(try loaded.distance(smallest, smallest), 0, accuracy: 1e-9)
    }
}
