import StainCore

/// `read-folder`: every image of a folder as a named set (names without extension), for metric nodes.
public struct ReadFolderNode: StainNode {
    public static let name = "read-folder"
    public static let summary = "Read all images of a folder as a named set (for metrics)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let out = OutputPort("out", .imageSet, doc: "images named by file name without extension")
        let path = Parameter<InputFolder>("path", doc: "folder of images")
        let extensions = Parameter("extensions", default: "png,jpg,jpeg,tif,tiff", doc: "file types to read")
        let stripSuffix = Parameter("strip-suffix", default: "", doc: "remove this from names before pairing (e.g. _fake_B)")
    }

    /// The folder's images, opened (headers only) and checked by `PixelFormatPolicy` at validation, like `read`.
    let images: ImageSet
    public let warnings: [NodeWarning]

    public init(_ p: Configuration<Declaration>) throws {
        let path = try p.path.path
        let extensions = try p.extensions.lowercased().split(separator: ",")
            .map { String($0).trimmingCharacters(in: .whitespaces) }
        var notes: [NodeWarning] = []
        do {
            images = try Evaluation.folder(path, extensions: extensions, stripSuffix: try p.stripSuffix,
                                           warn: { notes.append(p.warning(\.path, $0)) })
        } catch let error as NodeRunError {
            throw p.problem(\.path, error.message, kind: .unreadableInput)
        }
        warnings = notes
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .imageSet(images)]
    }
}

import Foundation
