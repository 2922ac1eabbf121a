import StainCore

/// The built-in dark-field intensity model used when no measured dark-field histogram is given.
///
/// Derivation. In dark-field, only light scattered by the specimen reaches the camera: empty glass is nearly black,
/// and tissue glows in proportion to its scattering density. So the dark-field gray-level distribution has (1) a
/// narrow mode at the sensor's dark level for background, (2) a broad, right-skewed lobe for tissue, whose brightest
/// pixels (dense nuclei, collagen edges) rarely saturate. We model it as a mixture on 0…255:
/// background: Gaussian(μ 10, σ 4), weight 0.55; tissue: Gamma(shape 2.2, scale 28) shifted by 18, weight 0.45.
/// The inverse mapping x = c_d⁻¹(1 − c_b(gray(y))) only uses this through its CDF, so what matters is the ordering
/// (bright-field white → dark, stained dense → bright) and the rough fractions, which the mixture encodes.
public enum DarkfieldModel {
    public static let backgroundMean = 10.0, backgroundSigma = 4.0, backgroundWeight = 0.55
    public static let tissueShape = 2.2, tissueScale = 28.0, tissueOffset = 18.0

    /// The model's histogram, scaled to 10⁶ pixels.
    public static func histogram() throws -> Histogram {
        var density = [Double](repeating: 0, count: 256)
        for v in 0..<256 {
            let x = Double(v)
            let background = exp(-0.5 * pow((x - backgroundMean) / backgroundSigma, 2)) / (backgroundSigma * (2 * Double.pi).squareRoot())
            let t = x - tissueOffset
            let tissue = t > 0 ? pow(t, tissueShape - 1) * exp(-t / tissueScale) / (tgamma(tissueShape) * pow(tissueScale, tissueShape)) : 0
            density[v] = backgroundWeight * background + (1 - backgroundWeight) * tissue
        }
        let total = density.reduce(0, +)
        let counts = density.map { UInt64(($0 / total * 1_000_000).rounded()) }
        return try Histogram(counts: counts, source: "StainKit built-in dark-field model")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
