import Foundation
import NeuralKernels

/// Where LPIPS's weights come from, and the errors when they are missing.
public enum LPIPSWeights {
    /// Environment variable naming the LPIPS (AlexNet v0.1) safetensors file.
    public static let environmentVariable = "STAINKIT_LPIPS_WEIGHTS"

    /// How to obtain the weights file, quoted in every "missing weights" error.
    public static let howToGet = """
        create it once with `python scripts/convert_weights.py lpips lpips_alex_v0.1.safetensors` (needs torch, \
        torchvision and `pip install lpips==0.1.4`; torchvision downloads alexnet-owt-7be5be79.pth, or pass \
        --alexnet PATH), then pass its path or set \(environmentVariable)
        """

    /// The path from `STAINKIT_LPIPS_WEIGHTS`, or a `missingWeights` error saying how to get the file.
    public static func pathFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> String
    {
        guard let path = environment[environmentVariable], !path.isEmpty else {
            throw MetricError.missingWeights("LPIPS needs AlexNet v0.1 weights: \(environmentVariable) is not set; "
                + howToGet)
        }
        return path
    }

    /// Loads the safetensors file at `path`, with a `missingWeights` error if there is no file.
    static func load(_ path: String) throws -> StateDict {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MetricError.missingWeights("LPIPS weights file \(path) does not exist; " + howToGet)
        }
        return try StateDict.load(path)
    }

    /// A tensor of the given shape, or a `missingWeights` error naming the tensor.
    static func tensor(_ dict: StateDict, _ name: String, _ shape: [Int]) throws -> Tensor {
        guard let t = dict[name] else {
            throw MetricError.missingWeights("LPIPS weights lack tensor '\(name)' (shape \(shape)); " + howToGet)
        }
        guard t.shape == shape else {
            throw MetricError.missingWeights("LPIPS tensor '\(name)' has shape \(t.shape), expected \(shape)")
        }
        return t
    }
}
