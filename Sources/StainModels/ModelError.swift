/// Errors raised by the networks: bad weights files, bad configurations and unusable inputs.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A tensor the network needs is not in the weights.
    case missingTensor(name: String)
    /// The weights hold a tensor the network does not have (strict loading).
    case unexpectedTensor(name: String)
    /// A tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// The input is too small for a layer (e.g. reflection padding wider than the image).
    case inputTooSmall(layer: String, height: Int, width: Int)
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// An input tensor has the wrong rank or channel count.
    case invalidInput(String)

    public var description: String {
        switch self {
        case .missingTensor(let name): return "weights: missing tensor '\(name)'"
        case .unexpectedTensor(let name): return "weights: unexpected tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let found):
            return "weights: tensor '\(name)' has shape \(found), expected \(expected)"
        case .inputTooSmall(let layer, let h, let w):
            return "input too small: layer '\(layer)' cannot run on \(h)×\(w)"
        case .invalidConfiguration(let text): return "invalid configuration: \(text)"
        case .invalidInput(let text): return "invalid input: \(text)"
        }
    }
}
