import Foundation
import StainMetrics

/// The simplest colouring a model has to beat: for each luma level of the bright-field training images, the mean
/// RGB of their pixels at that level; applied to the enhanced image z (the gray image the networks also see).
/// Levels no training pixel has take the colour of the nearest level that has one.
public struct LumaColorBaseline: Sendable {
    /// 256 entries of (R, G, B).
    public let table: [[UInt8]]

    /// Fits the table on 8-bit RGB bright-field images.
    public static func fit(brightfield paths: [String]) throws -> LumaColorBaseline {
        var sums = [[Double]](repeating: [0, 0, 0], count: 256)
        var counts = [Int](repeating: 0, count: 256)
        for path in paths {
            let image = try TrainingImage.load(path)
            guard image.channels == 3 else { throw TrainingDataError(path, "needs 3 bands, has \(image.channels)") }
            let p = image.pixels
            for i in 0..<(image.width * image.height) {
                let r = Int(p[3 * i]), g = Int(p[3 * i + 1]), b = Int(p[3 * i + 2])
                let level = Int((0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)).rounded())
                sums[level][0] += Double(r); sums[level][1] += Double(g); sums[level][2] += Double(b)
                counts[level] += 1
            }
        }
        guard counts.contains(where: { $0 > 0 }) else {
            throw TrainingDataError(paths.first ?? "", "no bright-field pixels to fit the baseline on")
        }
        let filled = (0..<256).filter { counts[$0] > 0 }
        let table = (0..<256).map { level -> [UInt8] in
            let nearest = filled.min { abs($0 - level) < abs($1 - level) }!
            return sums[nearest].map { UInt8(($0 / Double(counts[nearest])).rounded()) }
        }
        return LumaColorBaseline(table: table)
    }

    /// The baseline's colouring of a gray (or 3 equal bands) image.
    public func apply(_ z: TrainingImage) -> TrainingImage {
        let gray = z.gray()
        return TrainingImage(width: z.width, height: z.height, channels: 3, pixels: gray.pixels.flatMap { table[Int($0)] })
    }

    /// Mean PSNR and SSIM over test pairs (z, y) given as paths, optionally writing each prediction into `output`.
    public func evaluate(enhanced: [String], targets: [String], output: String? = nil) throws -> (psnr: Double, ssim: Double) {
        if let output { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
        var psnr = 0.0, ssim = 0.0
        for (z, y) in zip(enhanced, targets) {
            let predicted = apply(try TrainingImage.load(z))
            let target = try TrainingImage.load(y)
            psnr += try PSNR.score(predicted.metricImage(), target.metricImage())
            ssim += try SSIM.score(predicted.metricImage(), target.metricImage())
            if let output {
                try predicted.vipsImage().write(to: (output as NSString).appendingPathComponent((y as NSString).lastPathComponent))
            }
        }
        let n = Double(max(enhanced.count, 1))
        return (psnr / n, ssim / n)
    }
}
