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

@main
struct FuzzPipeline {
    static func main() { FuzzDriver.main(fuzzPipeline) }
}
