import XCTest
@testable import NeuralKernels

final class AutogradTests: XCTestCase {
    func testNoGraphWithoutGradOrInsideWithoutGrad() throws {
        let x = Variable(Tensor(shape: [1, 1, 2, 2], repeating: 1))
        let w = Variable(Tensor(shape: [1, 1, 1, 1], repeating: 2), requiresGrad: true)
        XCTAssertTrue(relu(x).isLeaf)                      // nothing requires grad
        XCTAssertFalse(try conv2d(x, weight: w).isLeaf)    // w does
        let y = try withoutGrad { try conv2d(x, weight: w) }
        XCTAssertTrue(y.isLeaf)
        XCTAssertFalse(y.requiresGrad)
        XCTAssertThrowsError(try y.backward())
    }

    func testGradientsAccumulateUntilZeroGrad() throws {
        let w = Variable(try Tensor(shape: [2], scalars: [1, 2]), requiresGrad: true)
        for _ in 0..<2 { try sum(affine(w, scale: 3)).backward() }
        XCTAssertEqual(w.grad?.scalars, [6, 6])
        w.zeroGrad()
        XCTAssertNil(w.grad)
        let d = w.detached()
        XCTAssertFalse(d.requiresGrad)
    }

    func testFrozenParametersGetNoGradient() throws {
        let x = Variable(Tensor(shape: [1, 1, 3, 3], repeating: 1), requiresGrad: true)
        let w = Variable(Tensor(shape: [1, 1, 3, 3], repeating: 1), requiresGrad: false)
        try sum(conv2d(x, weight: w, padding: 1)).backward()
        XCTAssertNil(w.grad)
        XCTAssertEqual(x.grad?.scalars, [4, 6, 4, 6, 9, 6, 4, 6, 4])
    }

    func testBackwardNeedsSeedForNonScalarAndChecksIt() throws {
        let x = Variable(Tensor(zeros: [2, 2]), requiresGrad: true)
        let y = affine(x, scale: 2)
        XCTAssertThrowsError(try y.backward())
        XCTAssertThrowsError(try y.backward(seed: Tensor(zeros: [4])))
        try y.backward(seed: Tensor(shape: [2, 2], repeating: 1))
        XCTAssertEqual(x.grad?.scalars, [2, 2, 2, 2])
    }

    func testAdamStateSaveRestoreContinuesIdentically() throws {
        func run(split: Bool) throws -> [Float] {
            let w = Variable(try Tensor(shape: [3], scalars: [0.5, -1, 2]), requiresGrad: true)
            var opt = Adam(parameters: [w], lr: 0.1, beta1: 0.5, beta2: 0.999)
            for k in 0..<6 {
                if split && k == 3 {
                    let saved = opt.stateDict()
                    let path = FileManager.default.temporaryDirectory.appendingPathComponent("adam-\(UUID()).safetensors").path
                    try saved.save(path)
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    opt = Adam(parameters: [w], lr: 123)
                    try opt.load(stateDict: StateDict.load(path))
                    XCTAssertEqual(opt.lr, 0.1)
                    XCTAssertEqual(opt.stepCount(0), 3)
                }
                opt.zeroGrad()
                try sum(mul(w, w)).backward()
                try opt.step()
            }
            return w.value.scalars
        }
        XCTAssertEqual(try run(split: false), try run(split: true))
    }

    func testTensorBasicsAndErrors() throws {
        XCTAssertThrowsError(try Tensor(shape: [2, 2], scalars: [1, 2, 3]))
        let t = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(t[1, 2], 5)
        XCTAssertThrowsError(try t.reshaped([4, 2]))
        var u = t                   // copy on write
        u[0, 0] = 9
        XCTAssertEqual(t[0, 0], 0)
        XCTAssertEqual(u[0, 0], 9)
        XCTAssertEqual(Tensor(scalar: 2).shape, [])
        XCTAssertThrowsError(try Kernels.add(Tensor(zeros: [2, 3]), Tensor(zeros: [3, 2])))
        XCTAssertThrowsError(try Kernels.reflectPad(Tensor(zeros: [1, 1, 2, 2]), 2))
        XCTAssertThrowsError(try Kernels.concatChannels([Tensor(zeros: [1, 1, 2, 2]), Tensor(zeros: [1, 1, 3, 2])]))
        XCTAssertThrowsError(try Kernels.gridSample(Tensor(zeros: [1, 1, 2, 2]), grid: Tensor(zeros: [1, 2, 2, 3])))
        XCTAssertThrowsError(try Kernels.instanceNorm(Tensor(zeros: [2, 2])))
    }

    func testFusedInstanceNormReLUEqualsSeparateOps() throws {
        var g = TestRNG(3)
        let x = g.tensor([2, 3, 5, 5])
        assertClose(try Kernels.instanceNorm(x, fusedReLU: true), Kernels.relu(try Kernels.instanceNorm(x)),
                    rtol: 0, atol: 0, "fused")
    }

    /// The fused IN + ReLU backward (mask applied inside the norm's backward pass) equals ReLU's backward followed
    /// by the norm's, and rejects a mask of another shape.
    func testFusedInstanceNormReLUBackwardEqualsSeparateOps() throws {
        var g = TestRNG(4)
        let x = g.tensor([2, 3, 5, 6]), dy = g.tensor([2, 3, 5, 6])
        let y = try Kernels.instanceNorm(x, fusedReLU: true)
        let fused = try Kernels.instanceNormBackward(gradOutput: dy, input: x, reluOutput: y).input
        let masked = Kernels.reluBackward(gradOutput: dy, input: try Kernels.instanceNorm(x))
        let separate = try Kernels.instanceNormBackward(gradOutput: masked, input: x).input
        assertClose(fused, separate, rtol: 1e-6, atol: 1e-7, "fused backward")
        XCTAssertThrowsError(try Kernels.instanceNormBackward(gradOutput: dy, input: x, reluOutput: Tensor(zeros: [2, 3, 5, 5])))
    }

    func testComputeThreadsSetting() {
        let before = ComputeThreads.count
        ComputeThreads.set(1)
        XCTAssertEqual(ComputeThreads.count, 1)
        ComputeThreads.set(0)
        XCTAssertEqual(ComputeThreads.count, 1)
        ComputeThreads.set(before)
    }
}

final class FastMathTests: XCTestCase {
    /// The vectorizable tanh/sigmoid stay within a few ulp of libm over the whole useful range.
    func testFastTanhAndSigmoidMatchLibm() throws {
        let xs = stride(from: Float(-20), through: 20, by: 0.001).map { $0 } + [0, 1e-6, -1e-6, 0.625, -0.625, 100, -100]
        let t = try Tensor(shape: [xs.count], scalars: xs)
        let th = Kernels.tanh(t).scalars, sg = Kernels.sigmoid(t).scalars
        for (i, x) in xs.enumerated() {
            let refT = Float(Foundation.tanh(Double(x))), refS = Float(1 / (1 + Foundation.exp(-Double(x))))
            XCTAssertLessThanOrEqual(Swift.abs(th[i] - refT), 4 * refT.ulp + 1e-30, "tanh(\(x))")
            XCTAssertLessThanOrEqual(Swift.abs(sg[i] - refS), 4 * refS.ulp + 1e-30, "sigmoid(\(x))")
        }
    }
}

final class InPlaceTests: XCTestCase {
    func testInPlaceVariantsEqualTheCopyingOnes() throws {
        var g = TestRNG(8)
        let x = g.tensor([2, 3, 4, 5]), w = g.tensor([3]), b = g.tensor([3]), y = g.tensor([2, 3, 4, 5])
        var a = x
        try Kernels.instanceNormInPlace(&a, weight: w, bias: b, fusedReLU: true)
        assertClose(a, try Kernels.instanceNorm(x, weight: w, bias: b, fusedReLU: true), rtol: 0, atol: 0, "IN")
        assertClose(x, x, rtol: 0, atol: 0, "original untouched")
        XCTAssertNotEqual(a.scalars, x.scalars)
        var s = x
        try Kernels.addInPlace(&s, y)
        assertClose(s, try Kernels.add(x, y), rtol: 0, atol: 0, "add")
        var r = x
        Kernels.reluInPlace(&r)
        assertClose(r, Kernels.relu(x), rtol: 0, atol: 0, "relu")
        XCTAssertThrowsError(try Kernels.addInPlace(&s, Tensor(zeros: [2, 3])))
    }
}

final class BLASInfoTests: XCTestCase {
    func testCoreReportAndRecommendationAreConsistent() {
        XCTAssertFalse(BLASInfo.coreName.isEmpty)
        XCTAssertTrue(BLASInfo.config.contains("OpenBLAS"))
        if let r = BLASInfo.recommendedCoreType {
            // Only recommended over a generic fallback, and only a type this CPU supports.
            XCTAssertTrue(BLASInfo.fallbackCores.contains(BLASInfo.coreName.lowercased()))
            XCTAssertEqual(r, BLASInfo.cpuCoreType)
        }
    }
}

final class InstanceNormStabilityTests: XCTestCase {
    /// Planes with a large offset, an outlier first element, and constant planes normalize like a Double reference.
    func testStatsAreStableForOffsetsOutliersAndConstants() throws {
        var g = TestRNG(21)
        var x = g.tensor([1, 3, 16, 16], -1, 1)
        x.withUnsafeMutableBufferPointer { b in
            for i in 0..<256 { b[i] = 100 + 0.1 * b[i] }       // offset ≫ spread (Float mean still resolves it)
            b[256] = 50                                        // outlier first element
            for i in 512..<768 { b[i] = 3 }                    // constant plane
        }
        let y = try Kernels.instanceNorm(x)
        var ref = Tensor(zeros: x.shape)
        for p in 0..<3 {
            let v = (0..<256).map { Double(x.scalars[p * 256 + $0]) }
            let mean = v.reduce(0, +) / 256
            let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 256
            for i in 0..<256 { ref[0, p, i / 16, i % 16] = Float((v[i] - mean) / (variance + 1e-5).squareRoot()) }
        }
        assertClose(y, ref, rtol: 1e-3, atol: 2e-3, "instance norm stats")
    }
}

final class ScratchPoolTests: XCTestCase {
    /// Pooled scratch buffers are reused without changing results, also from concurrent callers.
    func testResultsStableAcrossPoolReuseAndConcurrency() throws {
        var g = TestRNG(5)
        let x = g.tensor([1, 32, 32, 32]), w = g.tensor([32, 32, 3, 3], -0.2, 0.2)   // V, M above the pool minimum
        let first = try Kernels.conv2d(x, weight: w, padding: 1)
        let results = UncheckedBox(UnsafeMutablePointer<Float>.allocate(capacity: 4))
        defer { results.value.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let y = try? Kernels.conv2d(x, weight: w, padding: 1)
            results.value[i] = y?.maxAbsDifference(first) ?? .infinity
        }
        for i in 0..<4 { XCTAssertEqual(results.value[i], 0, "thread \(i)") }
        Kernels.releaseScratchBuffers()
        XCTAssertEqual(try Kernels.conv2d(x, weight: w, padding: 1).maxAbsDifference(first), 0)
    }
}
