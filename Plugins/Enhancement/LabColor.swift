/// CIE LAB (D65) conversion exactly as the paper's colorizer wrapper computes it (REFERENCE-SPEC §3.1), in Float,
/// for image nodes. RGB here is in [0, 1].
public enum LabColor {
    static let white: (Float, Float, Float) = (0.95047, 1.0, 1.08883)

    /// sRGB [0,1] → (L, a, b).
    @inline(__always)
    public static func lab(r: Float, g: Float, b: Float) -> (Float, Float, Float) {
        @inline(__always) func linear(_ c: Float) -> Float {
            c > 0.04045 ? powf((abs(c + 0.055) / 1.055) + 1e-7, 2.4) : c / 12.92
        }
        @inline(__always) func f(_ t: Float) -> Float {
            t > 0.008856 ? powf(abs(t) + 1e-7, 1.0 / 3.0) : 7.787 * t + 16.0 / 116.0
        }
        let lr = linear(r), lg = linear(g), lb = linear(b)
        let x = (0.412453 * lr + 0.357580 * lg + 0.180423 * lb) / white.0
        let y = (0.212671 * lr + 0.715160 * lg + 0.072169 * lb) / white.1
        let z = (0.019334 * lr + 0.119193 * lg + 0.950227 * lb) / white.2
        let fx = f(x), fy = f(y), fz = f(z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// (L, a, b) → sRGB, clamped below at 0 (no upper clamp, as in the paper code).
    @inline(__always)
    public static func rgb(l: Float, a: Float, b: Float) -> (Float, Float, Float) {
        @inline(__always) func finv(_ t: Float) -> Float {
            t > 0.2068966 ? powf(abs(t) + 1e-7, 3) : (t - 16.0 / 116.0) / 7.787
        }
        @inline(__always) func gamma(_ c: Float) -> Float {
            let c = max(c, 0)
            return c > 0.0031308 ? 1.055 * powf(abs(c) + 1e-7, 1 / 2.4) - 0.055 : 12.92 * c
        }
        let y = (l + 16) / 116
        let x = a / 500 + y
        let z = max(0, y - b / 200)
        let X = finv(x) * white.0, Y = finv(y) * white.1, Z = finv(z) * white.2
        let r = 3.24048134 * X - 1.53715152 * Y - 0.49853633 * Z
        let g = -0.96925495 * X + 1.87599 * Y + 0.04155593 * Z
        let bl = 0.05564664 * X - 0.20404134 * Y + 1.05731107 * Z
        return (gamma(r), gamma(g), gamma(bl))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
