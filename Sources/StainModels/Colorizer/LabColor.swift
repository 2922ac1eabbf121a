import Foundation

/// The colorizer's built-in colour conversions (docs/paper.md ("Networks")), in Float32 like the reference: per pixel
/// (RGB in [0, 1] ↔ CIE L, a, b; also used by the `to-lab`/`from-lab` nodes) and over NCHW planes (RGB in [−1, 1],
/// normalised l = (L − 50)/100 and ab/110, as the network sees them).
public enum LabColor {
    static let eps: Float = 1e-7
    static let white: (x: Float, y: Float, z: Float) = (0.95047, 1.0, 1.08883)

    /// sRGB in [0, 1] → (L, a, b).
    @inline(__always)
    public static func lab(r: Float, g: Float, b: Float) -> (Float, Float, Float) {
        let lr = linear(r), lg = linear(g), lb = linear(b)
        let fx = f((0.412453 * lr + 0.357580 * lg + 0.180423 * lb) / white.x)
        let fy = f((0.212671 * lr + 0.715160 * lg + 0.072169 * lb) / white.y)
        let fz = f((0.019334 * lr + 0.119193 * lg + 0.950227 * lb) / white.z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// (L, a, b) → sRGB; negatives are clamped before gamma, there is no upper clamp (as in the paper code).
    @inline(__always)
    public static func rgb(l: Float, a: Float, b: Float) -> (Float, Float, Float) {
        let fy = (l + 16) / 116
        let fx = a / 500 + fy
        let fz = max(0, fy - b / 200)
        let x = inverseF(fx) * white.x, y = inverseF(fy) * white.y, z = inverseF(fz) * white.z
        let lr = 3.24048134 * x - 1.53715152 * y - 0.49853633 * z
        let lg = -0.96925495 * x + 1.87599 * y + 0.04155593 * z
        let lb = 0.05564664 * x - 0.20404134 * y + 1.05731107 * z
        return (gamma(max(lr, 0)), gamma(max(lg, 0)), gamma(max(lb, 0)))
    }

    /// RGB planes in [−1, 1] → normalised lightness l = (L − 50)/100.
    public static func normalizedLightness(rgb: UnsafePointer<Float>, into l: UnsafeMutablePointer<Float>,
                                           batch: Int, pixels: Int) {
        for n in 0..<batch {
            let r = rgb + n &* 3 &* pixels, g = r + pixels, b = g + pixels
            let out = l + n &* pixels
            for i in 0..<pixels {
                let y = 0.212671 * linear(0.5 * (r[i] + 1)) + 0.715160 * linear(0.5 * (g[i] + 1))
                    + 0.072169 * linear(0.5 * (b[i] + 1))
                out[i] = (116 * f(y) - 16 - 50) / 100
            }
        }
    }

    /// RGB planes in [−1, 1] → normalised ab planes (a/110, b/110): the teacher's training target.
    public static func normalizedAB(rgb: UnsafePointer<Float>, into ab: UnsafeMutablePointer<Float>,
                                    batch: Int, pixels: Int) {
        for n in 0..<batch {
            let r = rgb + n &* 3 &* pixels, g = r + pixels, b = g + pixels
            let a = ab + n &* 2 &* pixels, bb = a + pixels
            for i in 0..<pixels {
                let (_, la, lb) = lab(r: 0.5 * (r[i] + 1), g: 0.5 * (g[i] + 1), b: 0.5 * (b[i] + 1))
                a[i] = la / 110
                bb[i] = lb / 110
            }
        }
    }

    /// Normalised l and ab (ab/110) planes → RGB planes in [−1, 1].
    public static func rgb(lightness l: UnsafePointer<Float>, ab: UnsafePointer<Float>,
                           into rgb: UnsafeMutablePointer<Float>, batch: Int, pixels: Int) {
        for n in 0..<batch {
            let lp = l + n &* pixels, ap = ab + n &* 2 &* pixels, bp = ap + pixels
            let r = rgb + n &* 3 &* pixels, g = r + pixels, b = g + pixels
            for i in 0..<pixels {
                let (cr, cg, cb) = Self.rgb(l: lp[i] * 100 + 50, a: ap[i] * 110, b: bp[i] * 110)
                r[i] = 2 * cr - 1
                g[i] = 2 * cg - 1
                b[i] = 2 * cb - 1
            }
        }
    }

    /// sRGB value in [0, 1] → linear RGB.
    @inline(__always) static func linear(_ c: Float) -> Float {
        c > 0.04045 ? Foundation.pow(abs((c + 0.055) / 1.055) + eps, 2.4) : c / 12.92
    }

    @inline(__always) static func f(_ t: Float) -> Float {
        t > 0.008856 ? Foundation.pow(abs(t) + eps, 1 / 3) : 7.787 * t + 16 / 116
    }

    @inline(__always) static func inverseF(_ t: Float) -> Float {
        t > 0.2068966 ? Foundation.pow(abs(t) + eps, 3) : (t - 16 / 116) / 7.787
    }

    @inline(__always) static func gamma(_ c: Float) -> Float {
        c > 0.0031308 ? 1.055 * Foundation.pow(abs(c) + eps, 1 / 2.4) - 0.055 : 12.92 * c
    }
}
