import NeuralKernels

/// Learned Perceptual Image Patch Similarity, `lpips.LPIPS(net='alex', version='0.1')` (lpips 0.1.4), as the paper
/// computes it (docs/paper.md ("Metrics")): inputs x/127.5 − 1, scaling layer, AlexNet ReLU taps 1–5, channel
/// unit-normalisation, squared difference, non-negative 1×1 "lin" weights, spatial mean, sum over layers.
/// Lower is more similar. Weights come from a safetensors file (see `LPIPSWeights`).
public struct LPIPS: Sendable {
    /// The scaling layer's shift and scale (per RGB channel).
    public static let shift: [Float] = [-0.030, -0.088, -0.188]
    public static let scale: [Float] = [0.458, 0.448, 0.450]
    /// Channel counts of the five taps.
    public static let channels = [64, 192, 384, 256, 256]

    let trunk: LPIPSAlexNet
    /// lin_k weights, C_k values each.
    let lin: [[Float]]

    /// Builds the metric from a state dict with the `lpips` names (`net.slice*.*`, `lin{0..4}.model.1.weight`).
    public init(weights: StateDict) throws {
        trunk = try LPIPSAlexNet(weights)
        lin = try Self.channels.enumerated().map { k, c in
            try LPIPSWeights.tensor(weights, "lin\(k).model.1.weight", [1, c, 1, 1]).scalars
        }
    }

    /// Loads the weights from a safetensors file.
    public init(contentsOf path: String) throws {
        try self.init(weights: LPIPSWeights.load(path))
    }

    /// Loads the weights from the file named by `STAINKIT_LPIPS_WEIGHTS`.
    public static func fromEnvironment() throws -> LPIPS {
        try LPIPS(contentsOf: LPIPSWeights.pathFromEnvironment())
    }

    /// LPIPS distance between two RGB images of the same size (at least 31×31 so every tap is non-empty).
    public func distance(_ a: MetricImage, _ b: MetricImage) throws -> Double {
        try layerDistances(a, b).reduce(0, +)
    }

    /// LPIPS-c (DSD_U): the prediction's quantised luma (×3) against the enhanced image z (docs/paper.md ("Metrics")).
    public func colorFreeDistance(prediction: MetricImage, enhanced: MetricImage) throws -> Double {
        try distance(prediction.quantisedLumaRGB(), enhanced)
    }

    /// The five per-layer terms (spatial mean of lin_k((f̂0 − f̂1)²)); their sum is the LPIPS distance.
    public func layerDistances(_ a: MetricImage, _ b: MetricImage) throws -> [Double] {
        try a.requireSameShape(as: b, "LPIPS")
        guard a.channels == 3 else { throw MetricError.invalidImage("LPIPS needs RGB images, got \(a.channels) channels") }
        guard a.width >= 31, a.height >= 31 else {
            throw MetricError.imageTooSmall("LPIPS (AlexNet) needs at least 31×31 pixels, got \(a.width)×\(a.height)")
        }
        let fa = try trunk.taps(Self.inputTensor(a)), fb = try trunk.taps(Self.inputTensor(b))
        return (0..<fa.count).map { k in Self.layerTerm(fa[k], fb[k], lin[k]) }
    }

    /// [1, 3, H, W] tensor of ((x/127.5 − 1) − shift)/scale.
    static func inputTensor(_ img: MetricImage) -> Tensor {
        let h = img.height, w = img.width, plane = h * w
        var t = Tensor(uninitializedShape: [1, 3, h, w])
        t.withUnsafeMutableBufferPointer { dst in
            img.pixels.withUnsafeBufferPointer { src in
                for c in 0..<3 {
                    let sh = shift[c], sc = scale[c]
                    for i in 0..<plane {
                        dst[c &* plane &+ i] = (src[i &* 3 &+ c] / 127.5 - 1 - sh) / sc
                    }
                }
            }
        }
        return t
    }

    /// Spatial mean over positions of Σ_c w_c (f0/(‖f0‖+1e-10) − f1/(‖f1‖+1e-10))², norms along channels.
    static func layerTerm(_ f0: Tensor, _ f1: Tensor, _ weight: [Float]) -> Double {
        let c = f0.shape[1], plane = f0.shape[2] * f0.shape[3]
        var total = 0.0
        f0.withUnsafeBufferPointer { p0 in
            f1.withUnsafeBufferPointer { p1 in
                weight.withUnsafeBufferPointer { w in
                    for i in 0..<plane {
                        var n0: Float = 0, n1: Float = 0
                        for k in 0..<c {
                            let a = p0[k &* plane &+ i], b = p1[k &* plane &+ i]
                            n0 += a * a
                            n1 += b * b
                        }
                        let s0 = 1 / (n0.squareRoot() + 1e-10), s1 = 1 / (n1.squareRoot() + 1e-10)
                        var d: Float = 0
                        for k in 0..<c {
                            let diff = p0[k &* plane &+ i] * s0 - p1[k &* plane &+ i] * s1
                            d += w[k] * diff * diff
                        }
                        total += Double(d)
                    }
                }
            }
        }
        return total / Double(plane)
    }
}
