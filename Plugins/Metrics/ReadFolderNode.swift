import StainCore

/// `read-folder`: every image of a folder as a named set (names without extension), for metric nodes.
public struct ReadFolderNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "read-folder", summary: "Read all images of a folder as a named set (for metrics)",
        outputs: [OutputPort("out", .imageSet, doc: "images named by file name without extension")],
        parameters: [
            ParameterSpec("path", .inputFolder, doc: "folder of images"),
            ParameterSpec("extensions", .string, default: .string("png,jpg,jpeg,tif,tiff"), doc: "file types to read"),
            ParameterSpec("strip-suffix", .string, default: .string(""),
                          doc: "remove this from names before pairing (e.g. _fake_B)"),
        ])

    /// The folder's images, opened (headers only) and checked by `PixelFormatPolicy` at validation, like `read`.
    let images: ImageSet
    public let warnings: [NodeWarning]

    public init(_ p: ParameterValues) throws {
        let path = p.string("path")
        let extensions = p.string("extensions").lowercased().split(separator: ",")
            .map { String($0).trimmingCharacters(in: .whitespaces) }
        var notes: [NodeWarning] = []
        do {
            images = try Evaluation.folder(path, extensions: extensions, stripSuffix: p.string("strip-suffix"),
                                           warn: { notes.append(NodeWarning(key: "path", $0)) })
        } catch let error as NodeRunError {
            throw NodeConfigurationError(key: "path", error.message, kind: .unreadableInput)
        }
        warnings = notes
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .imageSet(images)]
    }
}

import Foundation
