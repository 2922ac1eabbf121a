import Foundation
import NeuralKernels

/// Pretrained weights a metric needs but StainKit never downloads: a safetensors file given by path or by an
/// environment variable, with errors that name what is missing and say how to make the file.
public protocol PretrainedWeights {
    /// Name used in messages, e.g. "LPIPS (AlexNet v0.1)".
    static var displayName: String { get }
    /// Environment variable naming the safetensors file.
    static var environmentVariable: String { get }
    /// How to obtain the file, quoted in every "missing weights" error.
    static var howToGet: String { get }
}

extension PretrainedWeights {
    /// The path from the environment variable, or a `missingWeights` error saying how to get the file.
    public static func pathFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> String
    {
        guard let path = environment[environmentVariable], !path.isEmpty else {
            throw MetricError.missingWeights("\(displayName) weights: \(environmentVariable) is not set; " + howToGet)
        }
        return path
    }

    /// Loads the safetensors file at `path`, with a `missingWeights` error if there is no file.
    static func load(_ path: String) throws -> StateDict {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MetricError.missingWeights("\(displayName) weights file \(path) does not exist; " + howToGet)
        }
        let dict = try StateDict.load(path)
        // NaN/Inf weights would give NaN scores without a word; refuse them naming the tensor.
        for (name, tensor) in dict.items {
            let bad = tensor.withUnsafeBufferPointer { values in values.first { !$0.isFinite } }
            if let bad {
                throw MetricError.missingWeights("\(displayName) weights file \(path): tensor '\(name)' holds "
                    + "\(bad.isNaN ? "NaN" : "infinite") values; the file is corrupt")
            }
        }
        return dict
    }

    /// A tensor of the given shape, or a `missingWeights` error naming the tensor.
    static func tensor(_ dict: StateDict, _ name: String, _ shape: [Int]) throws -> Tensor {
        guard let t = dict[name] else {
            throw MetricError.missingWeights("\(displayName) weights lack tensor '\(name)' (shape \(shape)); " + howToGet)
        }
        guard t.shape == shape else {
            throw MetricError.missingWeights("\(displayName) tensor '\(name)' has shape \(t.shape), expected \(shape)")
        }
        return t
    }
}
