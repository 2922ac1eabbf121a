import FuzzDriver
import Foundation
import NeuralKernels

/// Bytes → the safetensors reader (header JSON, dtypes, offsets, shapes). Any input must give a state dict or an
/// error, never a crash or an out-of-bounds read.
func fuzzSafetensors(_ data: Data) {
    _ = try? Safetensors.decode(data, path: "fuzz.safetensors")
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    fuzzSafetensors(Data(bytes: bytes, count: count))
    return 0
}
#else
FuzzDriver.replay(Array(CommandLine.arguments.dropFirst()), fuzzSafetensors)
#endif
