import NeuralKernels
import XCTest
@testable import StainModels

/// One training step of a small G + D against PyTorch: loss_G = MSE(D(G(x)), 1) + 10·L1(G(x), y) with its gradients
/// for G and D, one Adam(1e-4, 0.5, 0.999) step of G, then loss_D = MSE(D(y), 1) + MSE(D(G(x).detach()), 0).
final class TrainStepTests: XCTestCase {
    func testGeneratorAndDiscriminatorStepMatchPyTorch() throws {
        let io = try Fixture.load("train_step_small.io")
        let g = try ResnetGenerator(config: .init(inputChannels: 4, outputChannels: 3, filters: 8, blocks: 2))
        let d = try PatchDiscriminator(config: .init(inputChannels: 3, filters: 8))
        try g.load(prefixed(io, "G."))
        try d.load(prefixed(io, "D."))
        let x = Variable(try io.tensor("x")), y = Variable(try io.tensor("y"))

        let fake = try g(x)
        let lossG = try add(mseLoss(d(fake), Variable(Tensor(shape: [1, 1], repeating: 1))),
                            scale(l1Loss(fake, y), by: 10))
        XCTAssertEqual(lossG.value.item, try io.tensor("loss_G").item, accuracy: 1e-5)
        try lossG.backward()
        for p in g.parameters {
            assertClose(try XCTUnwrap(p.grad, p.name!), try io.tensor("grad_G.\(p.name!)"), "∂loss_G/∂\(p.name!)")
        }

        // Adam: compare where PyTorch's gradient is clearly above noise (biases right before an InstanceNorm have
        // a zero true gradient, so their float noise decides the sign of the first step).
        let before = g.stateDict()
        let adam = Adam(parameters: g.parameters, lr: 1e-4, beta1: 0.5, beta2: 0.999)
        try adam.step()
        var compared = 0, total = 0
        for p in g.parameters {
            let name = p.name!
            let expected = try io.tensor("adam_G.\(name)").scalars, grad = try io.tensor("grad_G.\(name)").scalars
            let got = p.value.scalars, old = before[name]!.scalars
            for i in got.indices {
                total += 1
                XCTAssertEqual(abs(got[i] - old[i]), abs(expected[i] - old[i]), accuracy: 1.01e-4)
                guard abs(grad[i]) > 1e-4 else { continue }
                compared += 1
                if abs(got[i] - expected[i]) > 1e-6 { XCTFail("Adam \(name)[\(i)]: \(got[i]) vs \(expected[i])"); break }
            }
        }
        XCTAssertGreaterThan(compared, total * 8 / 10)

        // Discriminator step (D collected stray gradients from loss_G; zero them first, like the paper code).
        d.zeroGrad()
        let lossD = try add(mseLoss(d(y), Variable(Tensor(shape: [1, 1], repeating: 1))),
                            mseLoss(d(fake.detached()), Variable(Tensor(shape: [1, 1], repeating: 0))))
        XCTAssertEqual(lossD.value.item, try io.tensor("loss_D").item, accuracy: 1e-5)
        try lossD.backward()
        for p in d.parameters {
            assertClose(try XCTUnwrap(p.grad, p.name!), try io.tensor("grad_D.\(p.name!)"), "∂loss_D/∂\(p.name!)")
        }
    }

    private func prefixed(_ dict: StateDict, _ prefix: String) -> StateDict {
        StateDict(dict.items.filter { $0.0.hasPrefix(prefix) }.map { (String($0.0.dropFirst(prefix.count)), $0.1) })
    }
}
