import Foundation
import NeuralKernels
import Vips

/// The paper's paired-but-misaligned data: a random (seeded) affine transform plus a smooth elastic displacement,
/// applied to an image, with the true displacement field kept for evaluation. Used by the `misalign` node and by
/// `stain dataset synth --paired`.
///
/// Field convention (the same as the registration network's flow φ): 2 bands of float pixels, band 0 = row (y)
/// displacement, band 1 = column (x) displacement, and out(p) = source(p + d(p)), sampled bilinearly with mirrored
/// borders.
public struct Misalignment: Sendable {
    public var seed: Int
    /// Max rotation, degrees.
    public var rotation: Double
    /// Max shift per axis, pixels.
    public var translation: Double
    /// Max relative scale change.
    public var scale: Double
    /// σ of the elastic displacement at control points, pixels.
    public var elasticSigma: Double
    /// Control point spacing of the elastic field, pixels (larger = smoother).
    public var elasticSpacing: Int

    public init(seed: Int, rotation: Double = 1, translation: Double = 5, scale: Double = 0.02,
                elasticSigma: Double = 2, elasticSpacing: Int = 64) {
        self.seed = seed
        self.rotation = rotation
        self.translation = translation
        self.scale = scale
        self.elasticSigma = elasticSigma
        self.elasticSpacing = elasticSpacing
    }

    /// The warped image and its true field d (2-band float, in memory).
    public func apply(to source: VipsImage) throws -> (warped: VipsImage, field: VipsImage) {
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
        return (try padded.call("mapim", ["index": .image(index)]).cast(to: source.format), field)
    }

    /// d(p) = (A − I)(p − c) + t + elastic(p), bands (dy, dx), float.
    func makeField(width: Int, height: Int) throws -> VipsImage {
        var random = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed) &+ 0x9E37_79B9_7F4A_7C15)
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
            let gw = max(2, width / elasticSpacing + 2), gh = max(2, height / elasticSpacing + 2)
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

extension SeededGenerator {
    /// Uniform in [−1, 1).
    mutating func symmetric() -> Double { unit() * 2 - 1 }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
