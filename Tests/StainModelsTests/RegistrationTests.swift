import NeuralKernels
import XCTest
@testable import StainModels

/// Registration ResUnet R and the spatial transformer against PyTorch (docs/paper.md ("Networks")).
final class RegistrationTests: XCTestCase {
    func testReducedDepthRegistrationMatchesPyTorch() throws {
        let io = try Fixture.load("registration_small.io")
        let config = RegistrationConfig(downFilters: try Fixture.meta(io, "down", as: [Int].self),
                                        upFilters: try Fixture.meta(io, "up", as: [Int].self),
                                        bottleneckBlocks: try Fixture.meta(io, "bottleneckBlocks", as: Int.self))
        let r = try RegistrationNet(config: config)
        r.loadDeterministicWeights()
        let flow = try withoutGrad { try r(Variable(io.tensor("a")), Variable(io.tensor("b"))).value }
        assertClose(flow, try io.tensor("flow"), "R (3 levels, 32×28)")
    }

    func testFullRegistrationMatchesPyTorchAt256() throws {
        let io = try Fixture.load("registration_full.io")
        let r = try RegistrationNet()
        XCTAssertEqual(r.parameterCount, 2_059_170)
        XCTAssertEqual(r.parameters.count, 80)
        XCTAssertEqual(r.parameters.first?.name, "offset_map.down_1.conv_0.conv2d.weight")
        XCTAssertEqual(r.parameters[2].name, "offset_map.down_1.conv_0.resnet_block.model.0.conv_block.1.weight")
        XCTAssertEqual(r.parameters.last?.name, "offset_map.output.conv2d.bias")
        r.loadDeterministicWeights()
        let flow = try withoutGrad { try r(Variable(io.tensor("a")), Variable(io.tensor("b"))).value }
        assertClose(flow, try io.tensor("flow"), "R full 256²")
    }

    func testInitialFlowIsNearIdentityAndTooSmallInputsThrow() throws {
        let r = try RegistrationNet(config: .init(downFilters: [4, 8], upFilters: [8, 4], bottleneckBlocks: 1), seed: 2)
        let a = Variable(Tensor(shape: [1, 3, 16, 16], repeating: 0.5))
        let b = Variable(Tensor(shape: [1, 3, 16, 16], repeating: -0.5))
        let flow = try r(a, b).value
        XCTAssertEqual(flow.shape, [1, 2, 16, 16])
        XCTAssertLessThan(flow.scalars.map(abs).max()!, 1e-2)
        XCTAssertEqual(r.stateDict()["offset_map.output.conv2d.bias"]?.scalars, [0, 0])
        // kaiming_normal(fan_in): std √2/√fan_in for ResnetBlock convs, √(2/1.04)/√fan_in before LeakyReLU(0.2).
        for (name, gain, fanIn) in [("offset_map.t.model.0.conv_block.1.weight", Float(2).squareRoot(), 16 * 9),
                                    ("offset_map.up_1.conv2d.weight", (2 / Float(1.04)).squareRoot(), 12 * 9)] {
            let v = try XCTUnwrap(r.stateDict()[name]).scalars
            let std = (v.reduce(0) { $0 + $1 * $1 } / Float(v.count)).squareRoot()
            XCTAssertEqual(std, gain / Float(fanIn).squareRoot(), accuracy: 0.1 * gain / Float(fanIn).squareRoot(), name)
        }
        XCTAssertThrowsError(try r(Variable(Tensor(zeros: [1, 3, 4, 16])), Variable(Tensor(zeros: [1, 3, 4, 16]))))
        XCTAssertThrowsError(try r(a, Variable(Tensor(zeros: [1, 3, 16, 12]))))
    }

    func testWarpMatchesPyTorchForwardAndGradients() throws {
        let io = try Fixture.load("warp.io")
        let src = Variable(try io.tensor("src"), requiresGrad: true)
        let flow = Variable(try io.tensor("flow"), requiresGrad: true)
        let out = try SpatialTransformer.warp(src, flow: flow)
        assertClose(out.value, try io.tensor("output"), tolerance: 1e-5, "warp")
        try sum(mul(out, Variable(io.tensor("upstream")))).backward()
        assertClose(try XCTUnwrap(src.grad), try io.tensor("grad_src"), "∂/∂src")
        assertClose(try XCTUnwrap(flow.grad), try io.tensor("grad_flow"), "∂/∂flow")
    }

    func testZeroFlowIsTheIdentity() throws {
        let src = Variable(DeterministicWeights.values(name: "img", shape: [1, 2, 5, 7]).withTensor([1, 2, 5, 7]))
        let out = try SpatialTransformer.warp(src, flow: Variable(Tensor(zeros: [1, 2, 5, 7])))
        assertClose(out.value, src.value, tolerance: 1e-6, "identity warp")
        XCTAssertThrowsError(try SpatialTransformer.warp(src, flow: Variable(Tensor(zeros: [1, 2, 5, 6]))))
    }
}

extension Array where Element == Float {
    func withTensor(_ shape: [Int]) -> Tensor { try! Tensor(shape: shape, scalars: self) }
}

/// The paired-training loss through R and the warp: 20·L1(warp(a, φ), b) + 10·smooth(φ), φ = R(a, b); gradients
/// for R's parameters and for a (the generator output, which gets gradients through both the warp and R's input).
final class RegistrationGradientTests: XCTestCase {
    func testLossGradientsMatchPyTorch() throws {
        let io = try Fixture.load("registration_small_grad.io")
        let config = RegistrationConfig(downFilters: try Fixture.meta(io, "down", as: [Int].self),
                                        upFilters: try Fixture.meta(io, "up", as: [Int].self),
                                        bottleneckBlocks: try Fixture.meta(io, "bottleneckBlocks", as: Int.self))
        let r = try RegistrationNet(config: config)
        r.loadDeterministicWeights()
        let a = Variable(try io.tensor("a"), requiresGrad: true), b = Variable(try io.tensor("b"))
        let flow = try r(a, b)
        let loss = try add(scale(l1Loss(SpatialTransformer.warp(a, flow: flow), b), by: 20),
                           scale(flowSmoothness(flow), by: 10))
        XCTAssertEqual(loss.value.item, try io.tensor("loss").item, accuracy: 1e-4)
        try loss.backward()
        assertClose(try XCTUnwrap(a.grad), try io.tensor("grad_a"), "∂loss/∂a")
        for p in r.parameters {
            assertClose(try XCTUnwrap(p.grad, p.name!), try io.tensor("grad.\(p.name!)"), "∂loss/∂\(p.name!)")
        }
    }
}
