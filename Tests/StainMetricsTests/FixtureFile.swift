import Foundation
import XCTest

/// Minimal safetensors reader for the test fixtures (uint8, int8, int64, float32, float64 tensors).
struct FixtureFile {
    struct Entry {
        let dtype: String
        let shape: [Int]
        let bytes: Data
    }

    let entries: [String: Entry]

    init(_ name: String) throws {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw NSError(domain: "fixture", code: 1, userInfo: [NSLocalizedDescriptionKey: "no fixture \(name)"])
        }
        let data = try Data(contentsOf: url)
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as! [String: Any]
        var entries = [String: Entry]()
        for (key, value) in header where key != "__metadata__" {
            let info = value as! [String: Any]
            let offsets = info["data_offsets"] as! [Int]
            let start = 8 + headerLength + offsets[0], end = 8 + headerLength + offsets[1]
            entries[key] = Entry(dtype: info["dtype"] as! String, shape: info["shape"] as! [Int],
                                 bytes: data.subdata(in: start..<end))
        }
        self.entries = entries
    }

    func entry(_ key: String) throws -> Entry {
        guard let e = entries[key] else { throw NSError(domain: "fixture", code: 2, userInfo: [NSLocalizedDescriptionKey: "no tensor \(key)"]) }
        return e
    }

    func shape(_ key: String) throws -> [Int] { try entry(key).shape }

    func bytes(_ key: String) throws -> [UInt8] {
        let e = try entry(key)
        precondition(e.dtype == "U8")
        return [UInt8](e.bytes)
    }

    func floats(_ key: String) throws -> [Float] {
        let e = try entry(key)
        precondition(e.dtype == "F32")
        return e.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    func doubles(_ key: String) throws -> [Double] {
        let e = try entry(key)
        precondition(e.dtype == "F64")
        return e.bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    func ints(_ key: String) throws -> [Int] {
        let e = try entry(key)
        precondition(e.dtype == "I64")
        return e.bytes.withUnsafeBytes { $0.bindMemory(to: Int64.self).map { Int($0) } }
    }

    func int8s(_ key: String) throws -> [Int8] {
        let e = try entry(key)
        precondition(e.dtype == "I8")
        return e.bytes.withUnsafeBytes { Array($0.bindMemory(to: Int8.self)) }
    }

    func scalar(_ key: String) throws -> Double { try doubles(key)[0] }

    /// An H×W×C uint8 tensor as a MetricImage.
    func image(_ key: String) throws -> (width: Int, height: Int, channels: Int, bytes: [UInt8]) {
        let s = try shape(key)
        return (s[1], s[0], s.count > 2 ? s[2] : 1, try bytes(key))
    }
}
