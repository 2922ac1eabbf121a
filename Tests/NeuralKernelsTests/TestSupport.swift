import Foundation
import XCTest
@testable import NeuralKernels

/// Deterministic pseudo-random numbers for tests: the library's `SeededGenerator`, with test-sized helpers.
struct TestRNG {
    var generator: SeededGenerator
    init(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func uniform(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }
    mutating func tensor(_ shape: [Int], _ lo: Float = -1, _ hi: Float = 1) -> Tensor {
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<n).map { _ in uniform(lo, hi) })
    }
}

/// Runs `body` with the base pointers of `tensors`, in order (each valid only inside `body`).
func withPointers<R>(_ tensors: [Tensor], _ body: ([UnsafePointer<Float>]) throws -> R) rethrows -> R {
    func nest(_ index: Int, _ pointers: [UnsafePointer<Float>]) throws -> R {
        guard index < tensors.count else { return try body(pointers) }
        return try tensors[index].withUnsafePointer { try nest(index + 1, pointers + [$0]) }
    }
    return try nest(0, [])
}

/// Asserts |a − b| ≤ atol + rtol·|b| elementwise, reporting the worst element.
func assertClose(_ a: Tensor, _ b: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "\(what): shape", file: file, line: line)
    guard a.shape == b.shape else { return }
    let x = a.scalars, y = b.scalars
    var worst = 0, worstExcess: Float = -1
    for i in 0..<x.count {
        let excess = Swift.abs(x[i] - y[i]) - (atol + rtol * Swift.abs(y[i]))
        if excess > worstExcess || x[i].isNaN != y[i].isNaN { worstExcess = x[i].isNaN != y[i].isNaN ? .infinity : excess; worst = i }
    }
    if worstExcess > 0 {
        XCTFail("\(what): element \(worst) is \(x[worst]), expected \(y[worst])", file: file, line: line)
    }
}

/// Path of a fixture file in the test bundle.
func fixturePath(_ name: String) -> String {
    let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    return url.appendingPathComponent(name).path
}
