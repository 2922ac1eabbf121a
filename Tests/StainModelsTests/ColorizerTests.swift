import NeuralKernels
import XCTest
@testable import StainModels

/// Teacher colorizer and its LAB wrapper against PyTorch (docs/paper.md ("Networks")).
final class ColorizerTests: XCTestCase {
    func testColourConversionsMatchPyTorch() throws {
        let io = try Fixture.load("color.io")
        let rgb = try io.tensor("rgb"), ab = try io.tensor("ab")
        let l = try SIGGRAPHColorizer.lightness(rgb)
        assertClose(l, try io.tensor("l"), tolerance: 1e-5, "rgb → l")
        let viaOps = try LabColorOps.rgb(lightness: Variable(l), ab: Variable(ab)).value
        assertClose(viaOps, try io.tensor("lab_rgb"), tolerance: 1e-5, "lab → rgb (Variable ops)")
        var viaBuffers = Tensor(zeros: viaOps.shape)
        l.withUnsafePointer { lp in
            ab.withUnsafePointer { abp in
                viaBuffers.withUnsafeMutablePointer { out in
                    LabColor.rgb(lightness: lp, ab: abp, into: out, batch: 1, pixels: 64)
                }
            }
        }
        assertClose(viaBuffers, try io.tensor("lab_rgb"), tolerance: 1e-5, "lab → rgb (buffers)")
    }

    func testFullColorizerMatchesPyTorchWithDeterministicWeights() throws {
        let io = try Fixture.load("colorizer_full.io")
        let c = SIGGRAPHColorizer()
        XCTAssertEqual(c.parameterCount, 34_180_691)
        XCTAssertEqual(c.parameters.count, 62)
        c.loadDeterministicWeights()
        let l = try SIGGRAPHColorizer.lightness(io.tensor("input"))
        assertClose(l, try io.tensor("l"), tolerance: 1e-5, "l")
        let zero = Variable(Tensor(zeros: l.shape))
        let ab = try withoutGrad { try c.network(concatChannels([Variable(l), zero, zero])).value }
        assertClose(ab, try io.tensor("ab"), "ab (Variable path)")
        let input = try Kernels.concatChannels([l, Tensor(zeros: l.shape), Tensor(zeros: l.shape)])
        assertClose(try c.networkForward(input), try io.tensor("ab"), "ab (tensor path)")
        assertClose(try withoutGrad { try c(Variable(io.tensor("input"))).value }, try io.tensor("output"),
                    "rgb out (Variable path)")
        assertClose(try c.forward(io.tensor("input")), try io.tensor("output"), "rgb out (tensor path)")
    }

    func testModulePrefixIsStrippedOnRequestAndGradientsReachTheNetwork() throws {
        let c = SIGGRAPHColorizer(seed: 5)
        let original = c.stateDict()
        var prefixed = StateDict()
        for (k, v) in original.items { prefixed["module." + k] = v }
        c.loadDeterministicWeights()
        XCTAssertThrowsError(try c.load(prefixed, stripModulePrefix: false)) { error in
            XCTAssertEqual(error as? ModelError, .missingTensor(name: "model1.0.weight"))
        }
        try c.load(prefixed, stripModulePrefix: true)
        XCTAssertEqual(c.stateDict()["model_out.0.weight"]?.scalars, original["model_out.0.weight"]?.scalars)

        // An RGB-space L1 loss trains the network; the unused class head gets no gradient.
        let x = Variable(Tensor(shape: [1, 3, 8, 8], repeating: 0.3))
        let target = Variable(Tensor(shape: [1, 3, 8, 8], repeating: -0.2))
        try l1Loss(c(x), target).backward()
        let grads = Dictionary(uniqueKeysWithValues: c.parameters.map { ($0.name!, $0.grad) })
        XCTAssertNotNil(grads["model_out.0.weight"] ?? nil)
        XCTAssertNotNil(grads["model1.0.weight"] ?? nil)
        XCTAssertNil(grads["model_class.0.weight"] ?? nil)

        // Bad sizes throw.
        XCTAssertThrowsError(try c.forward(Tensor(zeros: [1, 3, 12, 16])))
        XCTAssertThrowsError(try c.forward(Tensor(zeros: [1, 1, 16, 16])))
    }
}
