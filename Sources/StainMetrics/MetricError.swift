/// Errors raised by the metrics; each message says what was wrong and, where it helps, how to fix it.
public enum MetricError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Buffer size or shape is inconsistent.
    case invalidImage(String)
    /// Two inputs that must have the same shape do not.
    case sizeMismatch(String)
    /// The image is smaller than the metric needs (e.g. SSIM's 11×11 window, NIQE's 96×96 blocks).
    case imageTooSmall(String)
    /// Feature sets are empty, too small, or of different dimension.
    case invalidFeatures(String)
    /// A parameter is out of range.
    case invalidParameter(String)
    /// A LAPACK routine reported failure.
    case numericalFailure(String)
    /// A weights file is missing or lacks a tensor; the text says how to obtain it.
    case missingWeights(String)

    public var description: String {
        switch self {
        case .invalidImage(let s): return "invalid image: \(s)"
        case .sizeMismatch(let s): return "size mismatch: \(s)"
        case .imageTooSmall(let s): return "image too small: \(s)"
        case .invalidFeatures(let s): return "invalid features: \(s)"
        case .invalidParameter(let s): return "invalid parameter: \(s)"
        case .numericalFailure(let s): return "numerical failure: \(s)"
        case .missingWeights(let s): return "missing weights: \(s)"
        }
    }
}
