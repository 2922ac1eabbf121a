import Foundation
import StainCore
import Vips

/// `misalign`: warps an image by a random (seeded) affine transform plus a smooth elastic displacement, as in the
/// paper's paired-but-misaligned setting, and gives the true displacement field.
///
/// Field convention (the same as the registration network's flow φ): 2 bands of float pixels, band 0 = row (y)
/// displacement, band 1 = column (x) displacement, and out(p) = source(p + d(p)), sampled bilinearly with mirrored
/// borders.
public struct MisalignNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "misalign",
        summary: "Random seeded affine + smooth elastic warp; gives the true displacement field (2-band float)",
        inputs: [InputPort("source", doc: "image to misalign (e.g. the stained target y)")],
        outputs: [
            OutputPort("out", bands: .sameAs("source"), doc: "warped image"),
            OutputPort("field", bands: .fixed(2), doc: "displacement field d: band 0 = dy, band 1 = dx, pixels"),
        ],
        parameters: [
            ParameterSpec("seed", .int, default: .int(0), range: 0...2_147_483_647, doc: "random seed"),
            ParameterSpec("rotation", .float, default: .float(1), range: 0...45, doc: "max rotation, degrees"),
            ParameterSpec("translation", .float, default: .float(5), range: 0...1000, doc: "max shift per axis, pixels"),
            ParameterSpec("scale", .float, default: .float(0.02), range: 0...0.5, doc: "max relative scale change"),
            ParameterSpec("elastic-sigma", .float, default: .float(2), range: 0...100,
                          doc: "σ of the elastic displacement at control points, pixels"),
            ParameterSpec("elastic-spacing", .int, default: .int(64), range: 8...4096,
                          doc: "control point spacing of the elastic field, pixels (larger = smoother)"),
            ParameterSpec("field-path", .outputFile, default: .string(""),
                          doc: "also write the field here as a 2-band float TIFF (empty: don't)"),
        ])

    let seed: Int, rotation: Double, translation: Double, scale: Double, elasticSigma: Double, spacing: Int
    let fieldPath: String?

    public init(_ p: ParameterValues) throws {
        seed = p.int("seed")
        rotation = p.double("rotation")
        translation = p.double("translation")
        scale = p.double("scale")
        elasticSigma = p.double("elastic-sigma")
        spacing = p.int("elastic-spacing")
        fieldPath = p.optionalString("field-path")
        if let fieldPath, !(fieldPath.lowercased().hasSuffix(".tif") || fieldPath.lowercased().hasSuffix(".tiff")) {
            throw NodeConfigurationError(key: "field-path", "the field is written as float TIFF: use .tif or .tiff")
        }
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let source = try inputs.image("source")
        let field = try makeField(width: source.width, height: source.height)
        // Mirror-pad by the largest displacement so every sample lands inside the padded image.
        let stats = try field.call("abs").call("stats").pixels(as: Double.self)
        let margin = Int(stats[1].rounded(.up)) + 2
        let padded = try source.call("embed", ["x": .int(margin), "y": .int(margin),
                                               "width": .int(source.width + 2 * margin),
                                               "height": .int(source.height + 2 * margin),
                                               "extend": .enumeration("mirror")])
        let grid = try Vips.operation("xyz", ["width": .int(source.width), "height": .int(source.height)]).image()
            .call("cast", ["format": BandFormat.float.value])
        // mapim wants (x, y) sample positions; the field is (dy, dx).
        let dx = try field.call("extract_band", ["band": .int(1)])
        let dy = try field.call("extract_band", ["band": .int(0)])
        let shift = try Vips.operation("bandjoin", ["in": .images([dx, dy])]).image()
        let index = try Vips.operation("add", ["left": .image(grid), "right": .image(shift)]).image()
            .call("linear", ["a": .doubles([1, 1]), "b": .doubles([Double(margin), Double(margin)])])
        let out = try padded.call("mapim", ["index": .image(index)]).cast(to: source.format)
        if let fieldPath {
            try field.write(to: context.outputs.stage(fieldPath), options: ["compression": .enumeration("deflate")])
        }
        return ["out": .image(out), "field": .image(field)]
    }

    /// d(p) = (A − I)(p − c) + t + elastic(p), bands (dy, dx), float.
    func makeField(width: Int, height: Int) throws -> VipsImage {
        var random = SeededRandom(seed: seed)
        let angle = random.symmetric() * rotation * Double.pi / 180
        let zoom = 1 + random.symmetric() * scale
        let tx = random.symmetric() * translation, ty = random.symmetric() * translation
        let a11 = zoom * cos(angle), a12 = -zoom * sin(angle), a21 = zoom * sin(angle), a22 = zoom * cos(angle)
        let cx = Double(width - 1) / 2, cy = Double(height - 1) / 2
        let xy = try Vips.operation("xyz", ["width": .int(width), "height": .int(height)]).image()
            .call("cast", ["format": BandFormat.float.value])
        let matrix = try VipsImage.matrix([[a21, a22 - 1], [a11 - 1, a12]])
        var field = try xy.call("recomb", ["m": .image(matrix)])
            .call("linear", ["a": .doubles([1, 1]),
                             "b": .doubles([-a21 * cx - (a22 - 1) * cy + ty, -(a11 - 1) * cx - a12 * cy + tx])])
        if elasticSigma > 0 {
            let gw = max(2, width / spacing + 2), gh = max(2, height / spacing + 2)
            var control = [Float](repeating: 0, count: gw * gh * 2)
            for i in control.indices { control[i] = Float(random.normal() * elasticSigma) }
            let coarse = try VipsImage.from(buffer: control, width: gw, height: gh, bands: 2)
            let smooth = try coarse.call("resize", ["scale": .double(Double(width) / Double(gw - 1)),
                                                    "vscale": .double(Double(height) / Double(gh - 1)),
                                                    "kernel": .enumeration("cubic")])
                .call("extract_area", ["left": .int(0), "top": .int(0), "width": .int(width), "height": .int(height)], input: "input")
            field = try Vips.operation("add", ["left": .image(field), "right": .image(smooth)]).image()
        }
        // Materialize: the field is small next to the image and is read twice (stats, then mapim).
        return try field.call("cast", ["format": BandFormat.float.value]).copyToMemory()
    }
}
