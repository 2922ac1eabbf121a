import NeuralKernels
import StainCore

/// Reading a network node's weights file at validation. A file that cannot be read, is not safetensors, does not fit
/// the network, or holds NaN/Inf values is an unreadable input (exit 3), reported at the node's `weights` key.
/// Non-finite values are refused here, naming the tensor: they would otherwise run silently to a constant image.
enum WeightsFile {
    /// Loads `path` and checks that every value is finite.
    static func load(_ path: String) throws -> StateDict {
        let dict = try StateDict.load(path)
        for (name, tensor) in dict.items {
            let bad = tensor.withUnsafeBufferPointer { values in values.firstIndex { !$0.isFinite }.map { ($0, values[$0]) } }
            if let (index, value) = bad {
                throw NodeConfigurationError(key: "weights", "'\(path)': tensor '\(name)' holds "
                    + "\(value.isNaN ? "NaN" : "infinite") values (first at index \(index)); the file is corrupt or "
                    + "comes from a diverged training run", kind: .unreadableInput)
            }
        }
        return dict
    }

    /// The error a node reports for a weights file that failed to load into its network.
    static func problem(_ path: String, _ error: Error, detail: String = "") -> NodeConfigurationError {
        if let configuration = error as? NodeConfigurationError { return configuration }
        return NodeConfigurationError(key: "weights", "'\(path)' cannot be used: \(error)\(detail)", kind: .unreadableInput)
    }
}
