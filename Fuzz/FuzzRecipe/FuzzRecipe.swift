import FuzzDriver
import Foundation
import StainTraining

/// Recipe text → the recipe parser and its checks.
func fuzzRecipe(_ data: Data) {
    _ = try? RecipeParser.parse(String(decoding: data, as: UTF8.self), file: "fuzz.yaml")
}

@main
struct FuzzRecipe {
    static func main() { FuzzDriver.main(fuzzRecipe) }
}
