import FuzzDriver
import Foundation
import StainTraining

/// Recipe text → the recipe parser and its checks.
func fuzzRecipe(_ data: Data) {
    _ = try? RecipeParser.parse(String(decoding: data, as: UTF8.self), file: "fuzz.yaml")
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    fuzzRecipe(Data(bytes: bytes, count: count))
    return 0
}
#else
FuzzDriver.replay(Array(CommandLine.arguments.dropFirst()), fuzzRecipe)
#endif
