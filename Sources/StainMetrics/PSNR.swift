import Foundation

/// Peak signal-to-noise ratio as in the paper's `evaluation/cal_P.py` (docs/paper.md ("Metrics")).
public enum PSNR {
    /// 20·log10(255/√MSE) with MSE the mean over all H·W·C samples, computed in double precision.
    /// No clipping or cropping. Identical images give `+infinity`.
    public static func score(_ prediction: MetricImage, _ target: MetricImage) throws -> Double {
        try prediction.requireSameShape(as: target, "PSNR")
        return 20 * log10(255 / (try meanSquaredError(prediction, target)).squareRoot())
    }

    /// Mean squared error over all samples.
    public static func meanSquaredError(_ a: MetricImage, _ b: MetricImage) throws -> Double {
        try a.requireSameShape(as: b, "MSE")
        var sum = 0.0
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count {
                    let d = Double(pa[i]) - Double(pb[i])
                    sum += d * d
                }
            }
        }
        return sum / Double(a.count)
    }
}
