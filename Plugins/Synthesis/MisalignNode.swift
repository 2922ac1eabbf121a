import StainCore
import StainImaging
import Vips

/// `misalign`: warps an image by a random (seeded) affine transform plus a smooth elastic displacement, as in the
/// paper's paired-but-misaligned setting, and gives the true displacement field (`Misalignment` has the field
/// convention: band 0 = dy, band 1 = dx, out(p) = source(p + d(p))).
public struct MisalignNode: StainNode {
    public static let name = "misalign"
    public static let summary = "Random seeded affine + smooth elastic warp; gives the true displacement field (2-band float)"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", doc: "image to misalign (e.g. the stained target y)")
        let out = OutputPort("out", bands: .sameAs("source"), doc: "warped image")
        let field = OutputPort("field", bands: .fixed(2), doc: "displacement field d: band 0 = dy, band 1 = dx, pixels")
        let seed = Parameter("seed", default: 0, range: 0...2_147_483_647, doc: "random seed")
        let rotation = Parameter("rotation", default: 1.0, range: 0...45, doc: "max rotation, degrees")
        let translation = Parameter("translation", default: 5.0, range: 0...1000, doc: "max shift per axis, pixels")
        let scale = Parameter("scale", default: 0.02, range: 0...0.5, doc: "max relative scale change")
        let elasticSigma = Parameter("elastic-sigma", default: 2.0, range: 0...100,
                                     doc: "σ of the elastic displacement at control points, pixels")
        let elasticSpacing = Parameter("elastic-spacing", default: 64, range: 8...4096,
                                       doc: "control point spacing of the elastic field, pixels (larger = smoother)")
        let fieldPath = Parameter<OutputFile?>("field-path", doc: "also write the field here as a 2-band float TIFF (empty: don't)")
    }

    let misalignment: Misalignment
    let fieldPath: String?

    public init(_ p: Configuration<Declaration>) throws {
        misalignment = Misalignment(seed: try p.seed, rotation: try p.rotation, translation: try p.translation,
                                    scale: try p.scale, elasticSigma: try p.elasticSigma,
                                    elasticSpacing: try p.elasticSpacing)
        fieldPath = try p.fieldPath?.path
        if let fieldPath, !(fieldPath.lowercased().hasSuffix(".tif") || fieldPath.lowercased().hasSuffix(".tiff")) {
            throw p.problem(\.fieldPath, "the field is written as float TIFF: use .tif or .tiff")
        }
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let (out, field) = try misalignment.apply(to: inputs.image(\.source))
        if let fieldPath {
            try field.write(to: context.outputs.stage(fieldPath), options: ["compression": .enumeration("deflate")])
        }
        return [\.out: .image(out), \.field: .image(field)]
    }
}
