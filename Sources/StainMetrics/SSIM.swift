import Foundation

/// Structural similarity as the paper computes it (docs/paper.md ("Metrics")): 11×11 Gaussian window with σ = 1.5,
/// valid region only, population variances, C1 = (0.01·255)², C2 = (0.03·255)², mean of the map per channel, then
/// the mean over channels. Equal to skimage `structural_similarity(data_range=255, channel_axis=-1,
/// gaussian_weights=True, sigma=1.5, use_sample_covariance=False)`.
public enum SSIM {
    /// Window size (11) and Gaussian σ (1.5).
    public static let windowSize = 11
    public static let sigma = 1.5

    /// Mean SSIM over the valid region and the channels. Images must be at least 11×11.
    public static func score(_ prediction: MetricImage, _ target: MetricImage) throws -> Double {
        try prediction.requireSameShape(as: target, "SSIM")
        guard prediction.width >= windowSize, prediction.height >= windowSize else {
            throw MetricError.imageTooSmall(
                "SSIM needs at least \(windowSize)×\(windowSize) pixels, got \(prediction.width)×\(prediction.height)")
        }
        var total = 0.0
        for c in 0..<prediction.channels {
            total += channelScore(prediction, target, channel: c)
        }
        return total / Double(prediction.channels)
    }

    /// Normalised 1-D Gaussian taps exp(−x²/2σ²), x = −5…5 (scipy's and OpenCV's kernel for these settings).
    static let taps: [Double] = {
        let r = windowSize / 2
        let raw = (-r...r).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let s = raw.reduce(0, +)
        return raw.map { $0 / s }
    }()

    /// Mean SSIM of one channel over the valid region.
    static func channelScore(_ a: MetricImage, _ b: MetricImage, channel: Int) -> Double {
        let w = a.width, h = a.height, nc = a.channels, k = windowSize
        let ow = w - k + 1, oh = h - k + 1
        // Five statistics per pixel: x, y, x², y², xy; filtered horizontally (valid columns), then vertically.
        var rows = [Double](repeating: 0, count: h * ow * 5)
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                taps.withUnsafeBufferPointer { g in
                    rows.withUnsafeMutableBufferPointer { out in
                        for y in 0..<h {
                            for x in 0..<ow {
                                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
                                for t in 0..<k {
                                    let idx = ((y &* w) &+ x &+ t) &* nc &+ channel
                                    let u = Double(pa[idx]), v = Double(pb[idx]), gt = g[t]
                                    s0 += gt * u
                                    s1 += gt * v
                                    s2 += gt * u * u
                                    s3 += gt * v * v
                                    s4 += gt * u * v
                                }
                                let o = ((y &* ow) &+ x) &* 5
                                out[o] = s0; out[o &+ 1] = s1; out[o &+ 2] = s2; out[o &+ 3] = s3; out[o &+ 4] = s4
                            }
                        }
                    }
                }
            }
        }
        let c1 = (0.01 * 255.0) * (0.01 * 255.0), c2 = (0.03 * 255.0) * (0.03 * 255.0)
        var sum = 0.0
        rows.withUnsafeBufferPointer { r in
            taps.withUnsafeBufferPointer { g in
                for y in 0..<oh {
                    for x in 0..<ow {
                        var mx = 0.0, my = 0.0, mxx = 0.0, myy = 0.0, mxy = 0.0
                        for t in 0..<k {
                            let o = (((y &+ t) &* ow) &+ x) &* 5, gt = g[t]
                            mx += gt * r[o]; my += gt * r[o &+ 1]
                            mxx += gt * r[o &+ 2]; myy += gt * r[o &+ 3]; mxy += gt * r[o &+ 4]
                        }
                        let vx = mxx - mx * mx, vy = myy - my * my, vxy = mxy - mx * my
                        let num = (2 * mx * my + c1) * (2 * vxy + c2)
                        let den = (mx * mx + my * my + c1) * (vx + vy + c2)
                        sum += num / den
                    }
                }
            }
        }
        return sum / Double(ow * oh)
    }
}
