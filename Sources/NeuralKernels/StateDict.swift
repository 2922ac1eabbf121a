import Foundation

/// Named tensors in a fixed order (a PyTorch state_dict), with safetensors load/save.
public struct StateDict: Sendable {
    /// (name, tensor) in order (file order on load, insertion order otherwise), and each name's position there.
    private var entries: [(name: String, tensor: Tensor)] = []
    private var positions: [String: Int] = [:]
    /// The safetensors `__metadata__` string map.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Builds a dict from ordered (name, tensor) pairs; later duplicates replace earlier ones.
    public init(_ pairs: [(String, Tensor)]) {
        for (k, v) in pairs { self[k] = v }
    }

    /// Tensor names in order (file order on load, insertion order otherwise).
    public var names: [String] { entries.map(\.name) }

    public var count: Int { entries.count }

    /// The tensor of a name; assigning a new name appends it, assigning nil removes it.
    public subscript(name: String) -> Tensor? {
        get { positions[name].map { entries[$0].tensor } }
        set {
            if let newValue {
                if let i = positions[name] {
                    entries[i].tensor = newValue
                } else {
                    positions[name] = entries.count
                    entries.append((name, newValue))
                }
            } else if let i = positions.removeValue(forKey: name) {
                entries.remove(at: i)
                for j in i..<entries.count { positions[entries[j].name] = j }
            }
        }
    }

    /// The tensor of a name, or a thrown `missingKey`.
    public func tensor(_ name: String) throws -> Tensor {
        guard let t = self[name] else { throw TensorError.missingKey(name) }
        return t
    }

    /// The tensor of a name, checked against an expected shape.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let t = try tensor(name)
        guard t.shape == shape else {
            throw TensorError.shapeMismatch(op: "StateDict", detail: "'\(name)' has shape \(t.shape), expected \(shape)")
        }
        return t
    }

    /// (name, tensor) pairs in order.
    public var items: [(String, Tensor)] { entries.map { ($0.name, $0.tensor) } }

    /// Reads a safetensors file (F32; F16, BF16 and F64 are converted to Float32).
    public static func load(_ path: String) throws -> StateDict {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw TensorError.io(path: path, problem: "cannot read: \(error.localizedDescription)")
        }
        return try Safetensors.decode(data, path: path)
    }

    /// Writes a safetensors file (F32) atomically: a temporary file in the same folder, then rename.
    public func save(_ path: String) throws {
        let data = try Safetensors.encode(self)
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try data.write(to: tmp)
        } catch {
            throw TensorError.io(path: path, problem: "cannot write: \(error.localizedDescription)")
        }
        if rename(tmp.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: tmp)
            throw TensorError.io(path: path, problem: "cannot rename temporary file: \(String(cString: strerror(code)))")
        }
    }
}
