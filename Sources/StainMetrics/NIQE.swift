import Foundation

/// Natural Image Quality Evaluator (Mittal et al. 2013), numerically following basicsr 1.4.2
/// `calculate_niqe(img, crop_border, convert_to=...)`, which reproduces MATLAB's `niqe` with the LIVE pristine model
/// (docs/paper.md ("Metrics")): 96×96 blocks without overlap, 18 features per block at full and at half scale (MATLAB
/// bicubic antialiased `imresize`), and the Mahalanobis-like distance to the pristine Gaussian. Lower is better.
///
/// basicsr stores its intermediate images in float32 while MATLAB works in double. The two differ by up to ~1e-3
/// (the float32 rounding can move an AGGD shape estimate by one 0.001 grid step); `Arithmetic` picks which one to
/// reproduce, basicsr's by default.
public enum NIQE {
    /// Whose rounding to follow for the intermediate images.
    public enum Arithmetic: Sendable, Equatable {
        /// float32 intermediate images like basicsr 1.4.2 (the reference the tests check against).
        case basicsrFloat32
        /// double precision throughout, like MATLAB.
        case double
    }

    /// How an RGB image becomes the single gray plane NIQE works on (the result is rounded half to even).
    public enum GrayConversion: Sendable, Equatable {
        /// 0.299 R + 0.587 G + 0.114 B (basicsr `convert_to='gray'`, OpenCV's weights; MATLAB `niqe` on RGB uses
        /// rgb2gray with nearly the same weights). The choice for the paper's MATLAB numbers.
        case gray
        /// BT.601 luma Y of MATLAB `rgb2ycbcr`: 16 + (65.481 R + 128.553 G + 24.966 B)/255 (basicsr's default).
        case ycbcrY
        /// MATLAB `rgb2gray` on uint8: 0.298936021293775 R + 0.587043074451121 G + 0.114020904255103 B in double,
        /// rounded half away from zero to uint8 (MathWorks' documented weights). For MATLAB `niqe(I)` on an RGB
        /// image use it with `.double` arithmetic; not checked against MATLAB itself (none here).
        case matlabRGB2Gray
    }

    /// Block size (96) used by MATLAB and basicsr.
    public static let blockSize = 96

    /// NIQE of an RGB (or 1-channel) image in 0…255. `cropBorder` pixels are removed from each edge first.
    /// The image (after cropping) must hold at least two 96×96 blocks.
    public static func score(_ image: MetricImage, conversion: GrayConversion = .gray, cropBorder: Int = 0,
                             arithmetic: Arithmetic = .basicsrFloat32) throws -> Double
    {
        var plane = try grayPlane(image, conversion: conversion)
        var w = image.width, h = image.height
        if cropBorder != 0 {
            guard cropBorder > 0, 2 * cropBorder < min(w, h) else {
                throw MetricError.invalidParameter("crop border \(cropBorder) for a \(w)×\(h) image")
            }
            plane = crop(plane, width: w, x: cropBorder, y: cropBorder, cropWidth: w - 2 * cropBorder,
                         cropHeight: h - 2 * cropBorder)
            w -= 2 * cropBorder
            h -= 2 * cropBorder
        }
        return try score(gray: plane.map { $0.rounded(.toNearestOrEven) }, width: w, height: h, arithmetic: arithmetic)
    }

    /// NIQE of a gray plane (row-major, 0…255, used as given: no rounding).
    public static func score(gray: [Double], width: Int, height: Int,
                             arithmetic: Arithmetic = .basicsrFloat32) throws -> Double {
        guard gray.count == width * height, width > 0, height > 0 else {
            throw MetricError.invalidImage("gray plane of \(gray.count) values does not match \(width)×\(height)")
        }
        let bx = width / blockSize, by = height / blockSize
        guard bx * by >= 2 else {
            throw MetricError.imageTooSmall(
                "NIQE needs at least two \(blockSize)×\(blockSize) blocks (e.g. 192×96); got \(width)×\(height)")
        }
        let features = try blockFeatures(gray, width: width, height: height, float32: arithmetic == .basicsrFloat32)
        return try distanceToPristine(features)
    }

    /// The 36 features of each block (column-major block order, as basicsr iterates), before the model fit.
    static func blockFeatures(_ gray: [Double], width: Int, height: Int, float32: Bool) throws -> [[Double]] {
        let bx = width / blockSize, by = height / blockSize
        var img = crop(gray, width: width, x: 0, y: 0, cropWidth: bx * blockSize, cropHeight: by * blockSize)
        var w = bx * blockSize, h = by * blockSize
        var features = [[Double]](repeating: [], count: bx * by)
        for scale in 1...2 {
            let norm = NIQEFeatures.mscn(img, width: w, height: h, window: NIQEPristineModel.window,
                                         windowSize: NIQEPristineModel.windowSize, float32: float32)
            let size = blockSize / scale
            for ix in 0..<bx {
                for iy in 0..<by {
                    let block = crop(norm, width: w, x: ix * size, y: iy * size, cropWidth: size, cropHeight: size)
                    features[ix * by + iy] += NIQEFeatures.blockFeatures(block, width: size, height: size)
                }
            }
            if scale == 1 {
                // basicsr: imresize(img / 255, 0.5) * 255, each step in float32.
                let input = float32 ? img.map { Double(Float($0) / 255) } : img.map { $0 / 255 }
                let half = try MatlabResize.resize(input, width: w, height: h, scale: 0.5)
                img = float32 ? half.values.map { Double(Float($0) * 255) } : half.values.map { $0 * 255 }
                (w, h) = (half.width, half.height)
            }
        }
        return features
    }

    /// √((μp − μd)ᵀ · pinv((Σp + Σd)/2) · (μp − μd)), μd the NaN-ignoring mean and Σd the covariance (N−1) of the
    /// blocks without NaN features.
    static func distanceToPristine(_ features: [[Double]]) throws -> Double {
        let d = NIQEPristineModel.featureCount
        var mean = [Double](repeating: 0, count: d)
        for c in 0..<d {
            let column = features.map { $0[c] }.filter { !$0.isNaN }
            mean[c] = column.isEmpty ? .nan : column.reduce(0, +) / Double(column.count)
        }
        let clean = features.filter { row in !row.contains { $0.isNaN } }
        guard clean.count >= 2, !mean.contains(where: { $0.isNaN }) else {
            throw MetricError.numericalFailure(
                "NIQE: only \(clean.count) of \(features.count) blocks have finite features (flat image?)")
        }
        let covariance = try FID.statistics(FeatureMatrix(rows: clean)).covariance
        var pooled = [Double](repeating: 0, count: d * d)
        for i in 0..<(d * d) { pooled[i] = (NIQEPristineModel.covariance[i] + covariance[i]) / 2 }
        let inverse = try DenseLinearAlgebra.symmetricPseudoInverse(pooled, n: d)
        let diff = (0..<d).map { NIQEPristineModel.mean[$0] - mean[$0] }
        var q = 0.0
        for i in 0..<d {
            for j in 0..<d { q += diff[i] * inverse[i * d + j] * diff[j] }
        }
        return q.squareRoot()
    }

    /// The gray plane before rounding, following basicsr's float32 arithmetic for each conversion.
    static func grayPlane(_ image: MetricImage, conversion: GrayConversion) throws -> [Double] {
        let n = image.width * image.height, nc = image.channels
        if nc == 1 { return image.pixels.map { Double($0) } }
        guard nc == 3 else {
            throw MetricError.invalidImage("NIQE needs a gray or RGB image, got \(nc) channels")
        }
        var out = [Double](repeating: 0, count: n)
        let p = image.pixels
        for i in 0..<n {
            let r = p[3 * i] / 255, g = p[3 * i + 1] / 255, b = p[3 * i + 2] / 255
            switch conversion {
            case .gray:
                // cv2.cvtColor(BGR2GRAY) on float32 in [0, 1] (OpenCV wheels with IPP evaluate
                // fma(r, 0.299, fma(b, 0.114, g·0.587)); this matches it on all 2^24 colours), then ×255.
                let inner = Float(Double(b) * Double(Float(0.114)) + Double(g * Float(0.587)))
                let y = Float(Double(r) * Double(Float(0.299)) + Double(inner))
                out[i] = Double(y * 255)
            case .matlabRGB2Gray:
                let y = 0.298936021293775 * Double(p[3 * i]) + 0.587043074451121 * Double(p[3 * i + 1])
                    + 0.114020904255103 * Double(p[3 * i + 2])
                out[i] = min(255, max(0, y.rounded(.toNearestOrAwayFromZero)))
            case .ycbcrY:
                // basicsr to_y_channel: float64 dot product of the float32 [0, 1] values, back to float32, ×255.
                let y64 = Double(b) * 24.966 + Double(g) * 128.553 + Double(r) * 65.481 + 16
                out[i] = Double(Float(y64 / 255) * 255)
            }
        }
        return out
    }

    static func crop(_ plane: [Double], width: Int, x: Int, y: Int, cropWidth: Int, cropHeight: Int) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(cropWidth * cropHeight)
        for row in y..<(y + cropHeight) {
            out.append(contentsOf: plane[(row * width + x)..<(row * width + x + cropWidth)])
        }
        return out
    }
}
