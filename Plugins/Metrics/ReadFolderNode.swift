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

    let path: String, extensions: [String], stripSuffix: String

    public init(_ p: ParameterValues) throws {
        path = p.string("path")
        extensions = p.string("extensions").lowercased().split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        stripSuffix = p.string("strip-suffix")
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        ["out": .imageSet(try Evaluation.folder(path, extensions: extensions, stripSuffix: stripSuffix))]
    }
}

import Foundation
