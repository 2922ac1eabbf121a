import Foundation

/// Named tensors in a fixed order (a PyTorch state_dict), with safetensors load/save.
public struct StateDict: Sendable {
    /// Tensor names in order (file order on load, insertion order otherwise).
    public private(set) var names: [String] = []
    private var tensors: [String: Tensor] = [:]
    /// The safetensors `__metadata__` string map.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Builds a dict from ordered (name, tensor) pairs; later duplicates replace earlier ones.
    public init(_ pairs: [(String, Tensor)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { names.count }

    /// The tensor of a name; assigning a new name appends it, assigning nil removes it.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set {
            if let newValue {
                if tensors.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if tensors.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The tensor of a name, or a thrown `missingKey`.
    public func tensor(_ name: String) throws -> Tensor {
        guard let t = tensors[name] else { throw TensorError.missingKey(name) }
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
    public var items: [(String, Tensor)] { names.map { ($0, tensors[$0]!) } }

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
