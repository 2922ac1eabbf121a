import Foundation

/// The NIQE natural-scene-statistics features (Mittal et al. 2013), following basicsr 1.4.2 `niqe.py`.
enum NIQEFeatures {
    /// α grid 0.2:0.001:10 and r(α) = Γ(2/α)² / (Γ(1/α)·Γ(3/α)) for the AGGD moment-matching search.
    static let alphaGrid: [Double] = (0..<9801).map { 0.2 + Double($0) * 0.001 }
    static let ratioGrid: [Double] = alphaGrid.map { a in
        let r = 1 / a
        let g2 = tgamma(r * 2)
        return g2 * g2 / (tgamma(r) * tgamma(r * 3))
    }

    /// Mean-subtracted contrast-normalised coefficients (I − μ)/(σ + 1), with μ and σ from the Gaussian window and
    /// replicated ('nearest') borders. With `float32` the intermediate images are stored and combined in float32 as
    /// in basicsr (SciPy's `convolve` sums in double and returns the input's float32); otherwise all double.
    static func mscn(_ img: [Double], width: Int, height: Int, window: [Double], windowSize k: Int,
                     float32: Bool) -> [Double] {
        let r = k / 2
        var out = [Double](repeating: 0, count: img.count)
        img.withUnsafeBufferPointer { src in
            window.withUnsafeBufferPointer { win in
                out.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<height {
                        for x in 0..<width {
                            var mu = 0.0, sq = 0.0
                            for dy in 0..<k {
                                let yy = min(max(y &+ dy &- r, 0), height &- 1)
                                for dx in 0..<k {
                                    let xx = min(max(x &+ dx &- r, 0), width &- 1)
                                    let v = src[yy &* width &+ xx], w = win[dy &* k &+ dx]
                                    mu += w * v
                                    sq += w * (float32 ? Double(Float(v) * Float(v)) : v * v)
                                }
                            }
                            let centre = src[y &* width &+ x]
                            if float32 {
                                let mu32 = Float(mu), sq32 = Float(sq)
                                let sigma32 = abs(sq32 - mu32 * mu32).squareRoot()
                                dst[y &* width &+ x] = Double((Float(centre) - mu32) / (sigma32 + 1))
                            } else {
                                let sigma = abs(sq - mu * mu).squareRoot()
                                dst[y &* width &+ x] = (centre - mu) / (sigma + 1)
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Asymmetric generalised Gaussian fit (α, β_left, β_right) by moment matching over the α grid.
    /// A block without negative (or positive) values gives NaN β's, like NumPy's mean of an empty set.
    static func aggd(_ v: [Double]) -> (alpha: Double, betaLeft: Double, betaRight: Double) {
        var leftSq = 0.0, rightSq = 0.0, absSum = 0.0, sqSum = 0.0
        var leftN = 0, rightN = 0
        for x in v {
            if x < 0 { leftSq += x * x; leftN += 1 } else if x > 0 { rightSq += x * x; rightN += 1 }
            absSum += abs(x)
            sqSum += x * x
        }
        let n = Double(v.count)
        let leftStd = (leftSq / Double(leftN)).squareRoot(), rightStd = (rightSq / Double(rightN)).squareRoot()
        let gammaHat = leftStd / rightStd
        let rHat = (absSum / n) * (absSum / n) / (sqSum / n)
        let g2 = gammaHat * gammaHat
        let rHatNorm = rHat * (g2 * gammaHat + 1) * (gammaHat + 1) / ((g2 + 1) * (g2 + 1))
        // np.argmin: first minimum; a NaN target makes every entry NaN and NumPy returns index 0.
        var best = 0
        if !rHatNorm.isNaN {
            var bestErr = Double.infinity
            for (i, r) in ratioGrid.enumerated() {
                let e = (r - rHatNorm) * (r - rHatNorm)
                if e < bestErr { bestErr = e; best = i }
            }
        }
        let alpha = alphaGrid[best]
        let factor = (tgamma(1 / alpha) / tgamma(3 / alpha)).squareRoot()
        return (alpha, leftStd * factor, rightStd * factor)
    }

    /// The 18 features of one block (row-major, `w`×`h`): AGGD (α, mean β) of the block, then (α, η, β_l, β_r) of
    /// the products with the block shifted (np.roll) by (0,1), (1,0), (1,1), (1,−1).
    static func blockFeatures(_ block: [Double], width w: Int, height h: Int) -> [Double] {
        var feat = [Double]()
        let base = aggd(block)
        feat.append(base.alpha)
        feat.append((base.betaLeft + base.betaRight) / 2)
        for (sy, sx) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
            var product = [Double](repeating: 0, count: block.count)
            for y in 0..<h {
                let ry = ((y - sy) % h + h) % h
                for x in 0..<w {
                    let rx = ((x - sx) % w + w) % w
                    product[y * w + x] = block[y * w + x] * block[ry * w + rx]
                }
            }
            let p = aggd(product)
            let eta = (p.betaRight - p.betaLeft) * (tgamma(2 / p.alpha) / tgamma(1 / p.alpha))
            feat.append(contentsOf: [p.alpha, eta, p.betaLeft, p.betaRight])
        }
        return feat
    }
}
