/// Errors thrown by tensor operations, autograd and safetensors I/O.
public enum TensorError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An operation got a tensor whose shape it cannot use.
    case shapeMismatch(op: String, detail: String)
    /// An argument is out of range (stride 0, negative padding, …).
    case invalidArgument(op: String, detail: String)
    /// A safetensors file is malformed; `tensor` names the entry ("" for the header).
    case badFile(path: String, tensor: String, problem: String)
    /// A file could not be read or written.
    case io(path: String, problem: String)
    /// A key is missing from a state dict.
    case missingKey(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, detail): return "\(op): shape mismatch: \(detail)"
        case let .invalidArgument(op, detail): return "\(op): invalid argument: \(detail)"
        case let .badFile(path, tensor, problem):
            return tensor.isEmpty ? "\(path): \(problem)" : "\(path): tensor '\(tensor)': \(problem)"
        case let .io(path, problem): return "\(path): \(problem)"
        case let .missingKey(key): return "missing key '\(key)'"
        }
    }
}
