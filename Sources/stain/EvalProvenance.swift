import Foundation
import NeuralKernels
import StainCore
import StainKit
import Vips

/// The sidecar `stain eval` writes next to each table it saves (`TABLE.provenance.json`), so a number in a paper
/// can be traced to the files it was computed from. Its shape follows the sidecars of `stain run` where the two
/// overlap (`output`, `output-sha256`, `command-line`, `created`, `versions`); instead of a pipeline it records
/// the metrics, the options that change them, each image folder with every file's hash, and the weights used.
struct EvalProvenance {
    /// One folder of images and the files in it that were scored (named as in the table, i.e. without extension
    /// and `--strip-suffix`).
    struct Folder {
        let role: String
        let path: String
        let files: [(name: String, path: String)]
    }

    let commandLine: [String]
    let metrics: [String]
    let settings: [String: Any]
    let folders: [Folder]
    /// Weight files by use ("lpips", "fid-inception").
    let weights: [String: String]

    /// The sidecar of a table file (the same name rule as `stain run`'s).
    static func sidecar(for output: String) -> String { Provenance.sidecar(for: output) }

    /// JSON describing how `output` was made; `sha256` is the hash of the bytes written to it.
    func json(output: String, sha256: String) throws -> Data {
        var inputs: [String: Any] = [:]
        for folder in folders {
            var files: [String: String] = [:]
            for file in folder.files { files[file.name] = Self.identity(file.path) }
            inputs[folder.role] = ["folder": folder.path, "files": files] as [String: Any]
        }
        let object: [String: Any] = [
            "output": output,
            "output-sha256": sha256,
            "command-line": commandLine,
            "created": ISO8601DateFormatter().string(from: Date()),
            "evaluation": ["metrics": metrics, "settings": settings] as [String: Any],
            "inputs": inputs,
            "weights": weights.mapValues { ["file": $0, "identity": Self.identity($0)] },
            "versions": ["stainkit": StainKitVersion.current, "libvips": Vips.version, "openblas": BLASInfo.config],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// A file by content: its SHA-256 up to 64 MiB, else its size and modification date (as `stain run` records
    /// large inputs: hashing a 95 MB Inception checkpoint per table would cost more than it tells).
    static func identity(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        if size >= 0 && size <= 64 << 20, let hash = try? SHA256.hex(file: path) { return "sha256:" + hash }
        let date = (attributes?[.modificationDate] as? Date).map { ISO8601DateFormatter().string(from: $0) } ?? "?"
        return "size:\(size) modified:\(date)"
    }

    /// The folder's scored files: the folder's entries that `Evaluation.folder` named (file name without
    /// extension, without `stripSuffix`) and that are in the scored set. Same extensions as `Evaluation.folder`.
    static func folder(_ role: String, _ path: String, _ images: ImageSet, stripSuffix: String = "") -> Folder {
        let extensions: Set<String> = ["png", "jpg", "jpeg", "tif", "tiff"]
        var wanted = Set(images.names)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? []
        var files: [(name: String, path: String)] = []
        for entry in entries where !entry.hasPrefix(".") && extensions.contains((entry as NSString).pathExtension.lowercased()) {
            var name = (entry as NSString).deletingPathExtension
            if !stripSuffix.isEmpty && name.hasSuffix(stripSuffix) { name.removeLast(stripSuffix.count) }
            if wanted.remove(name) != nil { files.append((name, (path as NSString).appendingPathComponent(entry))) }
        }
        return Folder(role: role, path: path, files: files)
    }
}
