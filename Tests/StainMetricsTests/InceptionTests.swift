import Foundation
import NeuralKernels
import XCTest
@testable import StainMetrics

final class InceptionTests: XCTestCase {
    /// Built once for all tests (23.8 M synthetic parameters take seconds in a debug build).
    static let cachedNetwork: FIDInceptionV3? = {
        guard let f = try? FixtureFile("inception.safetensors"), let bytes = try? f.bytes("param_names") else {
            return nil
        }
        return try? FIDInceptionV3(weights: SyntheticWeights.stateDict(listing: String(decoding: bytes, as: UTF8.self)))
    }()

    func network(_ f: FixtureFile) throws -> FIDInceptionV3 {
        try XCTUnwrap(Self.cachedNetwork, "could not build the synthetic Inception network")
    }

    func assertClose(_ a: [Float], _ b: [Float], _ tol: Float, _ label: String) {
        XCTAssertEqual(a.count, b.count, label)
        var worst: Float = 0
        for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / max(1, abs(y))) }
        XCTAssertLessThan(worst, tol, label)
    }

    func testBareNetworkMatchesPytorchFID() throws {
        let f = try FixtureFile("inception.safetensors")
        let net = try network(f)
        let x = try Tensor(shape: [1, 3, 75, 75], scalars: f.floats("input75"))
        let out = try net.features(network: x)
        XCTAssertEqual(out.shape, [1, 2048])
        assertClose(out.scalars, try f.floats("features75"), 1e-4, "75×75")
    }

    func testImageFeaturesMatchPytorchFID() throws {
        let f = try FixtureFile("inception.safetensors")
        let net = try network(f)
        let im = try f.image("image0")
        let image = try MetricImage(width: im.width, height: im.height, channels: 3, bytes: im.bytes)
        let features = try net.features([image])
        XCTAssertEqual(features.count, 1)
        assertClose(features.values.map { Float($0) }, try f.floats("features0"), 1e-4, "image 0 at 299×299")
    }

    func testTorchFidelityPreprocessingMatchesTorchFidelity() throws {
        let f = try FixtureFile("inception.safetensors")
        let net = try network(f)
        let im = try f.image("image1")
        let image = try MetricImage(width: im.width, height: im.height, channels: 3, bytes: im.bytes)
        let features = try net.features([image], preprocessing: .torchFidelity)
        assertClose(features.values.map { Float($0) }, try f.floats("fidelity_features1"), 1e-4, "torch-fidelity")
    }

    func testMissingInceptionWeights() throws {
        XCTAssertThrowsError(try InceptionWeights.pathFromEnvironment([:])) {
            XCTAssertTrue("\($0)".contains(InceptionWeights.environmentVariable))
        }
        XCTAssertThrowsError(try FIDInceptionV3(contentsOf: "/nonexistent/fid.safetensors")) {
            XCTAssertTrue("\($0)".contains("does not exist"))
        }
        XCTAssertThrowsError(try FIDInceptionV3(weights: StateDict())) {
            XCTAssertTrue("\($0)".contains("Conv2d_1a_3x3.conv.weight"))
        }
    }
}
