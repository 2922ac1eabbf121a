import Foundation

/// The colorizer's built-in colour conversions (REFERENCE-SPEC §3.1), in Float32 like the reference.
/// Planes are NCHW: `rgb` holds 3 planes per image, `l` one, `ab` two.
public enum LabColor {
    static let eps: Float = 1e-7

    /// RGB in [−1, 1] → normalised lightness l = (L − 50)/100.
    public static func normalizedLightness(rgb: UnsafePointer<Float>, into l: UnsafeMutablePointer<Float>,
                                           batch: Int, pixels: Int) {
        for n in 0..<batch {
            let r = rgb + n &* 3 &* pixels, g = r + pixels, b = g + pixels
            let out = l + n &* pixels
            for i in 0..<pixels {
                let y = 0.212671 * linear(r[i]) + 0.715160 * linear(g[i]) + 0.072169 * linear(b[i])
                let fy = y > 0.008856 ? Foundation.pow(abs(y) + eps, 1 / 3) : 7.787 * y + 16 / 116
                out[i] = (116 * fy - 16 - 50) / 100
            }
        }
    }

    /// Normalised l and ab (ab/110) → RGB in [−1, 1]; negatives are clamped before gamma, there is no upper clamp.
    public static func rgb(lightness l: UnsafePointer<Float>, ab: UnsafePointer<Float>,
                           into rgb: UnsafeMutablePointer<Float>, batch: Int, pixels: Int) {
        for n in 0..<batch {
            let lp = l + n &* pixels, ap = ab + n &* 2 &* pixels, bp = ap + pixels
            let r = rgb + n &* 3 &* pixels, g = r + pixels, b = g + pixels
            for i in 0..<pixels {
                let bigL = lp[i] * 100 + 50
                let fy = (bigL + 16) / 116
                let fx = ap[i] * 110 / 500 + fy
                let fz = max(0, fy - bp[i] * 110 / 200)
                let x = inverseF(fx) * 0.95047, y = inverseF(fy), z = inverseF(fz) * 1.08883
                let lr = 3.24048134 * x - 1.53715152 * y - 0.49853633 * z
                let lg = -0.96925495 * x + 1.87599 * y + 0.04155593 * z
                let lb = 0.05564664 * x - 0.20404134 * y + 1.05731107 * z
                r[i] = 2 * gamma(max(lr, 0)) - 1
                g[i] = 2 * gamma(max(lg, 0)) - 1
                b[i] = 2 * gamma(max(lb, 0)) - 1
            }
        }
    }

    /// sRGB value in [−1, 1] → linear RGB.
    @inline(__always) static func linear(_ v: Float) -> Float {
        let c = 0.5 * (v + 1)
        return c > 0.04045 ? Foundation.pow(abs((c + 0.055) / 1.055) + eps, 2.4) : c / 12.92
    }

    @inline(__always) static func inverseF(_ t: Float) -> Float {
        t > 0.2068966 ? Foundation.pow(abs(t) + eps, 3) : (t - 16 / 116) / 7.787
    }

    @inline(__always) static func gamma(_ c: Float) -> Float {
        c > 0.0031308 ? 1.055 * Foundation.pow(abs(c) + eps, 1 / 2.4) - 0.055 : 12.92 * c
    }
}
