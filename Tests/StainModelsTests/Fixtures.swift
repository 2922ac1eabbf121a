import Foundation
import NeuralKernels
import XCTest

/// Loads the safetensors fixtures written by scripts/fixtures/make_model_fixtures.py.
enum Fixture {
    static func path(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Fixtures")
        else { throw XCTSkip("fixture \(name).safetensors is missing") }
        return url.path
    }

    static func load(_ name: String) throws -> StateDict {
        try StateDict.load(path(name))
    }

    /// A JSON value stored in the safetensors metadata.
    static func meta<T: Decodable>(_ dict: StateDict, _ key: String, as type: T.Type) throws -> T {
        let text = try XCTUnwrap(dict.metadata[key], "metadata '\(key)'")
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

/// Asserts that two tensors have the same shape and differ by at most `tolerance` everywhere.
func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-4, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "\(what): shape", file: file, line: line)
    let d = a.maxAbsDifference(b)
    XCTAssertLessThanOrEqual(d, tolerance, "\(what): max |Δ| = \(d)", file: file, line: line)
}
