import XCTest
import NeuralKernels  // public API only: memory is reached through the scoped accessors

/// Scoped memory access keeps value semantics: a write through a pointer reaches one tensor only.
final class TensorAccessTests: XCTestCase {
    func testWritingThroughTheMutablePointerLeavesCopiesUnchanged() throws {
        var original = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        let copy = original
        let view = try original.reshaped([3, 2])   // shares storage too
        original.withUnsafeMutablePointer { p in
            for i in 0..<6 { p[i] = -Float(i) - 1 }
        }
        XCTAssertEqual(original.scalars, [-1, -2, -3, -4, -5, -6])
        XCTAssertEqual(copy.scalars, [0, 1, 2, 3, 4, 5], "a copy must not see writes to the original")
        XCTAssertEqual(view.scalars, [0, 1, 2, 3, 4, 5], "a reshaped view must not see writes to the original")

        // And the other way: writing the copy leaves the original alone; a unique tensor is written in place.
        var second = copy
        second.withUnsafeMutablePointer { $0[0] = 42 }
        XCTAssertEqual(copy.scalars, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(second.scalars, [42, 1, 2, 3, 4, 5])
        let before = second.withUnsafePointer { $0 }
        second.withUnsafeMutablePointer { $0[1] = 7 }
        XCTAssertEqual(second.withUnsafePointer { $0 }, before, "unshared storage is written without a copy")
        XCTAssertEqual(second.scalars, [42, 7, 2, 3, 4, 5])
    }

    func testInPlaceKernelsDoNotWriteIntoCopies() throws {
        var rng = TestRNG(5)
        let x = rng.tensor([1, 2, 4, 4]), saved = x.scalars
        var y = x
        Kernels.reluInPlace(&y)
        try Kernels.instanceNormInPlace(&y)
        XCTAssertEqual(x.scalars, saved, "the copy keeps its values")
        XCTAssertEqual(y.scalars, try Kernels.instanceNorm(Kernels.relu(x)).scalars)
    }

    func testWritingWeightsDropsTheirCachedWinogradTransform() throws {
        var rng = TestRNG(9)
        let x = rng.tensor([1, 16, 16, 16])
        var w = rng.tensor([16, 16, 3, 3], -0.2, 0.2)
        _ = try Kernels.conv2d(x, weight: w, padding: 1, algorithm: .winograd)   // caches U on w's storage
        w.withUnsafeMutablePointer { p in
            for i in 0..<(16 * 16 * 9) { p[i] *= -2 }
        }
        let fast = try Kernels.conv2d(x, weight: w, padding: 1, algorithm: .winograd)
        let reference = try Kernels.conv2d(x, weight: w, padding: 1, algorithm: .im2col)
        assertClose(fast, reference, rtol: 1e-3, atol: 1e-4, "winograd after a weight write")
    }

    func testEmptyTensorsHaveABasePointer() throws {
        var empty = try Tensor(shape: [0, 3], scalars: [])
        XCTAssertEqual(empty.count, 0)
        var ran = 0
        empty.withUnsafePointer { _ in ran += 1 }
        empty.withUnsafeMutablePointer { _ in ran += 1 }
        XCTAssertEqual(ran, 2)
        XCTAssertEqual(empty.scalars, [])
    }
}
