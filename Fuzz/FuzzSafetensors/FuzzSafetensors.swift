import FuzzDriver
import Foundation
import NeuralKernels

/// Bytes → the safetensors reader (header JSON, dtypes, offsets, shapes). Any input must give a state dict or an
/// error, never a crash or an out-of-bounds read.
func fuzzSafetensors(_ data: Data) {
    _ = try? Safetensors.decode(data, path: "fuzz.safetensors")
}

@main
struct FuzzSafetensors {
    static func main() { FuzzDriver.main(fuzzSafetensors) }
}
