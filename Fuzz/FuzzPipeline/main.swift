import FuzzDriver
import Foundation
import StainCore
import StainKit

/// Pipeline text → parser (with its limits) → validator with every node type. Any input must end in a document or
/// a diagnostic, never a crash.
func fuzzPipeline(_ data: Data) {
    let text = String(decoding: data, as: UTF8.self)
    guard let document = try? PipelineDocument.parse(text, file: "fuzz.yaml") else { return }
    _ = try? Validator(registry: Catalog.registry).validate(document)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    fuzzPipeline(Data(bytes: bytes, count: count))
    return 0
}
#else
FuzzDriver.replay(Array(CommandLine.arguments.dropFirst()), fuzzPipeline)
#endif
