import NeuralKernels
import XCTest
@testable import StainModels

/// PatchGAN D against PyTorch (docs/paper.md ("Networks")): patch map and the averaged (N, 1) paper head.
final class DiscriminatorTests: XCTestCase {
    func testSmallDiscriminatorMatchesPyTorch() throws {
        let io = try Fixture.load("discriminator_small.io")
        let d = try PatchDiscriminator(config: .init(inputChannels: 3, filters: 8))
        try d.load(contentsOf: Fixture.path("discriminator_small.weights"))
        let x = Variable(try io.tensor("input"))
        assertClose(try d.patchMap(x).value, try io.tensor("map"), "D map")
        assertClose(try d(x).value, try io.tensor("output"), "D head")
        XCTAssertEqual(try d(x).shape, [2, 1])
    }

    func testFullSizeDiscriminatorMatchesPyTorch() throws {
        let io = try Fixture.load("discriminator_full.io")
        let d = try PatchDiscriminator()
        XCTAssertEqual(d.parameterCount, 2_764_737)
        XCTAssertEqual(d.stateDict().names, ["model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias",
                                             "model.5.weight", "model.5.bias", "model.8.weight", "model.8.bias",
                                             "model.11.weight", "model.11.bias"])
        d.loadDeterministicWeights()
        let x = Variable(try io.tensor("input"))
        assertClose(try d.patchMap(x).value, try io.tensor("map"), "D full map")
        assertClose(try d(x).value, try io.tensor("output"), "D full head")
    }

    func testTooSmallInputNamesTheLayer() throws {
        let d = try PatchDiscriminator(config: .init(inputChannels: 3, filters: 4))
        XCTAssertThrowsError(try d(Variable(Tensor(zeros: [1, 3, 16, 16])))) { error in
            guard case .inputTooSmall(let layer, _, _)? = error as? ModelError else { return XCTFail("\(error)") }
            XCTAssertEqual(layer, "model.11")
        }
    }
}
