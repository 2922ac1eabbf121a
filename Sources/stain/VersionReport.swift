import CBLAS
import Foundation
import NeuralKernels
import StainCore
import StainKit
import Vips

/// What `stain --version` prints: StainKit's version and the libraries that decide results and speed — libvips
/// (image I/O; whether its OpenSlide loader is present) and OpenBLAS (its build, and the kernel family it picked
/// for this CPU: a generic fallback such as Prescott is several times slower, see `BLASInfo`).
enum VersionReport {
    static var text: String {
        let vips: String
        do {
            let start = try Vips.start()
            vips = "libvips \(start.version) (OpenSlide loader: \(start.hasOpenSlide ? "yes" : "no"))"
        } catch {
            vips = "libvips: unavailable (\(ErrorText.describe(error)))"
        }
        var core = "BLAS core: \(BLASInfo.coreName), \(openblas_get_num_threads()) threads"
        if let requested = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
            core += " (OPENBLAS_CORETYPE=\(requested))"
        }
        return ["stain (StainKit) \(StainKitVersion.current)", vips,
                "OpenBLAS \(openBLASVersion) (\(BLASInfo.config))", core].joined(separator: "\n")
    }

    /// The version number in OpenBLAS' configuration string ("OpenBLAS 0.3.21 DYNAMIC_ARCH ..."), or "unknown".
    static var openBLASVersion: String {
        let words = BLASInfo.config.split(separator: " ")
        guard words.count > 1, words[0] == "OpenBLAS", words[1].first?.isNumber == true else { return "unknown" }
        return String(words[1])
    }
}
