import FuzzDriver
import Foundation
import StainCore

/// Bytes → the histogram JSON reader (`load-histogram`, `histogram-matcher` references).
func fuzzHistogram(_ data: Data) {
    _ = try? Histogram.decode(data, name: "fuzz.json")
}

@main
struct FuzzHistogram {
    static func main() { FuzzDriver.main(fuzzHistogram) }
}
