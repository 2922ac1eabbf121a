import FuzzDriver
import Foundation
import StainCore

/// Bytes → the histogram JSON reader (`load-histogram`, `histogram-matcher` references).
func fuzzHistogram(_ data: Data) {
    _ = try? Histogram.decode(data, name: "fuzz.json")
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    fuzzHistogram(Data(bytes: bytes, count: count))
    return 0
}
#else
FuzzDriver.replay(Array(CommandLine.arguments.dropFirst()), fuzzHistogram)
#endif
