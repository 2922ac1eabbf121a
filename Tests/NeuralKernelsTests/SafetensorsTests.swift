import Foundation
import XCTest
@testable import NeuralKernels

final class SafetensorsTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nk-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Raw file: header JSON (padded) + data bytes.
    private func rawFile(header: String, data: [UInt8], lengthField: UInt64? = nil) -> Data {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: (lengthField ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: h)
        out.append(contentsOf: data)
        return out
    }

    /// Asserts that `decode` refuses `data` mentioning `words`, and that reading only the header of the same bytes
    /// from a file refuses them with the same error (every problem here lies in the header).
    private func assertBad(_ data: Data, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) {
        let path = dir.appendingPathComponent("bad-\(UUID().uuidString).safetensors").path
        XCTAssertNoThrow(try data.write(to: URL(fileURLWithPath: path)), file: file, line: line)
        var decodeError: TensorError?
        XCTAssertThrowsError(try Safetensors.decode(data, path: path), file: file, line: line) { error in
            decodeError = error as? TensorError
            let text = "\(error)"
            for w in words { XCTAssertTrue(text.contains(w), "'\(text)' should mention '\(w)'", file: file, line: line) }
        }
        XCTAssertThrowsError(try Safetensors.header(path: path), file: file, line: line) { error in
            XCTAssertEqual(error as? TensorError, decodeError, file: file, line: line)
        }
    }

    /// The header alone gives the names (in the order a full load gives them), dtypes and shapes.
    func testHeaderListsWhatALoadReads() throws {
        let path = fixturePath("dtypes.safetensors")
        let loaded = try StateDict.load(path)
        let header = try Safetensors.header(path: path)
        XCTAssertEqual(header.map(\.name), loaded.names)
        XCTAssertEqual(header.map(\.shape), loaded.items.map(\.1.shape))
        XCTAssertEqual(Set(header.map(\.dtype)), ["F32", "F16", "BF16", "F64"])
        var d = StateDict()
        d["zeta"] = Tensor(zeros: [2, 3])
        d["alpha"] = Tensor(scalar: 1)
        d["empty"] = Tensor(zeros: [0, 4])
        let saved = dir.appendingPathComponent("h.safetensors").path
        try d.save(saved)
        XCTAssertEqual(try Safetensors.header(path: saved).map(\.name), try StateDict.load(saved).names)
        XCTAssertEqual(try Safetensors.header(path: saved).map(\.shape), [[2, 3], [], [0, 4]])
        XCTAssertThrowsError(try Safetensors.header(path: dir.appendingPathComponent("missing.safetensors").path)) {
            XCTAssertTrue("\($0)".contains("cannot read"), "\($0)")
        }
    }

    func testRoundTripKeepsOrderValuesAndMetadata() throws {
        var d = StateDict()
        d["zeta.weight"] = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, -6.5])
        d["alpha"] = Tensor(scalar: 3.25)
        d["mid \"quoted\""] = Tensor(zeros: [0, 4])
        d["b"] = try Tensor(shape: [1, 1, 2, 2], scalars: [.infinity, -0.0, 1e-30, 7])
        d.metadata = ["format": "pt", "note": "a\nb"]
        let path = dir.appendingPathComponent("t.safetensors").path
        try d.save(path)
        let e = try StateDict.load(path)
        XCTAssertEqual(e.names, d.names)
        XCTAssertEqual(e.metadata, d.metadata)
        for n in d.names {
            XCTAssertEqual(e[n]?.shape, d[n]?.shape, n)
            XCTAssertEqual(e[n]?.scalars.map(\.bitPattern), d[n]?.scalars.map(\.bitPattern), n)
        }
        // No temporary file left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["t.safetensors"])
    }

    func testReadsPyTorchFileWithOtherDtypes() throws {
        let d = try StateDict.load(fixturePath("dtypes.safetensors"))
        let ref = try d.tensor("f32")
        XCTAssertEqual(try d.tensor("f16").scalars, ref.scalars)   // all values exactly representable in f16
        XCTAssertEqual(try d.tensor("f64").scalars, ref.scalars)
        let bf = try d.tensor("bf16").scalars
        for (a, b) in zip(bf, ref.scalars) { XCTAssertEqual(a, b, accuracy: Swift.abs(b) / 128) }
    }

    func testTruncatedFile() throws {
        let good = rawFile(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#, data: Array(repeating: 0, count: 16))
        XCTAssertNoThrow(try Safetensors.decode(good))
        assertBad(good.prefix(good.count - 4), mentions: ["'w'", "outside"])
        assertBad(good.prefix(5), mentions: ["too short"])
        assertBad(good.prefix(20), mentions: ["header length"])
    }

    func testLyingHeaderLength() {
        let body = rawFile(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        var lying = body
        lying.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Data($0) })
        assertBad(lying, mentions: ["header length"])
        var short = body
        short.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(10).littleEndian) { Data($0) })
        assertBad(short, mentions: ["JSON"])
    }

    func testOffsetsOutOfRangeOverlappingOrInconsistent() {
        assertBad(rawFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                          data: Array(repeating: 0, count: 12)), mentions: ["overlaps"])
        assertBad(rawFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'", "outside"])
        assertBad(rawFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[-4,4]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'"])
        assertBad(rawFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'", "data_offsets"])
    }

    func testWrongDtypeAndShapeMismatch() {
        assertBad(rawFile(header: #"{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'", "unsupported dtype I64"])
        assertBad(rawFile(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'", "needs 12"])
        assertBad(rawFile(header: #"{"w":{"dtype":"F64","shape":[2147483647,2147483647,2],"data_offsets":[0,8]}}"#,
                          data: Array(repeating: 0, count: 8)), mentions: ["'w'", "needs more than"])
        assertBad(rawFile(header: #"{"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'", "shape"])
        assertBad(rawFile(header: #"{"w":{"shape":[2],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
                  mentions: ["'w'", "dtype"])
        assertBad(rawFile(header: #"[1,2]"#, data: []), mentions: ["'{'"])
        assertBad(rawFile(header: #"{"w": nonsense}"#, data: []), mentions: ["JSON"])
    }

    func testStateDictShapeCheckAndMissingKey() throws {
        let d = StateDict([("a", Tensor(zeros: [2, 3]))])
        XCTAssertThrowsError(try d.tensor("b")) { XCTAssertEqual($0 as? TensorError, .missingKey("b")) }
        XCTAssertThrowsError(try d.tensor("a", shape: [3, 2]))
        XCTAssertNoThrow(try d.tensor("a", shape: [2, 3]))
        XCTAssertThrowsError(try StateDict.load(dir.appendingPathComponent("missing.safetensors").path))
    }
}
