import NeuralKernels

/// The FID Inception-v3 feature extractor (TensorFlow's 2015-12-05 graph, docs/paper.md ("Metrics")): input resized to
/// 299×299 and scaled to [−1, 1], the stem, Mixed_5b…Mixed_7c (FID variants of blocks A/C/E), global average pool →
/// 2048 values. Both the FID tool (pytorch-fid 0.2.1) and the KID tool (torch-fidelity 0.3.0 `inception-v3-compat`)
/// use this network with the same weights; they differ only in how the image is resized (see `Preprocessing`).
/// Weight names are the torchvision state_dict keys (`Conv2d_1a_3x3.conv.weight`, `Mixed_5b.branch1x1.bn.bias`, …).
public struct FIDInceptionV3: Sendable {
    /// How an 8-bit RGB image becomes the network input.
    public enum Preprocessing: Sendable, Equatable {
        /// pytorch-fid: pixels/255, PyTorch bilinear resize (align_corners=False), then 2x − 1.
        case pytorchFID
        /// torch-fidelity: TensorFlow 1.x bilinear resize of the 0…255 values (no half-pixel offset), then
        /// (x − 128)/128.
        case torchFidelity
    }

    /// Feature length (pool3).
    public static let dimension = 2048
    /// Input side the network resizes to.
    public static let inputSize = 299

    let stem: [InceptionConv]
    let mixed5: [InceptionBlockA]
    let mixed6a: InceptionBlockB
    let mixed6: [InceptionBlockC]
    let mixed7a: InceptionBlockD
    let mixed7: [InceptionBlockE]

    /// Builds the network from a state dict (batch norms are folded into the convolutions).
    public init(weights d: StateDict) throws {
        stem = [
            try InceptionConv(d, "Conv2d_1a_3x3", 3, 32, kernel: (3, 3), stride: 2),
            try InceptionConv(d, "Conv2d_2a_3x3", 32, 32, kernel: (3, 3)),
            try InceptionConv(d, "Conv2d_2b_3x3", 32, 64, kernel: (3, 3), padding: (1, 1)),
            try InceptionConv(d, "Conv2d_3b_1x1", 64, 80, kernel: (1, 1)),
            try InceptionConv(d, "Conv2d_4a_3x3", 80, 192, kernel: (3, 3)),
        ]
        mixed5 = [
            try InceptionBlockA(d, "Mixed_5b", 192, poolFeatures: 32),
            try InceptionBlockA(d, "Mixed_5c", 256, poolFeatures: 64),
            try InceptionBlockA(d, "Mixed_5d", 288, poolFeatures: 64),
        ]
        mixed6a = try InceptionBlockB(d, "Mixed_6a", 288)
        mixed6 = [
            try InceptionBlockC(d, "Mixed_6b", 768, channels7x7: 128),
            try InceptionBlockC(d, "Mixed_6c", 768, channels7x7: 160),
            try InceptionBlockC(d, "Mixed_6d", 768, channels7x7: 160),
            try InceptionBlockC(d, "Mixed_6e", 768, channels7x7: 192),
        ]
        mixed7a = try InceptionBlockD(d, "Mixed_7a", 768)
        mixed7 = [
            try InceptionBlockE(d, "Mixed_7b", 1280, maxPoolBranch: false),
            try InceptionBlockE(d, "Mixed_7c", 2048, maxPoolBranch: true),
        ]
    }

    /// Loads the weights from a safetensors file.
    public init(contentsOf path: String) throws {
        try self.init(weights: InceptionWeights.load(path))
    }

    /// Loads the weights from the file named by `STAINKIT_FID_INCEPTION_WEIGHTS`.
    public static func fromEnvironment() throws -> FIDInceptionV3 {
        try FIDInceptionV3(contentsOf: InceptionWeights.pathFromEnvironment())
    }

    /// 2048-d features of each RGB image (0…255, any size ≥ 1×1), as pytorch-fid (default) or torch-fidelity
    /// computes them.
    public func features(_ images: [MetricImage], preprocessing: Preprocessing = .pytorchFID) throws
        -> FeatureMatrix
    {
        var values = [Double]()
        values.reserveCapacity(images.count * Self.dimension)
        for image in images {
            guard image.channels == 3 else {
                throw MetricError.invalidImage("FID features need RGB images, got \(image.channels) channels")
            }
            let x = try preprocessing == .pytorchFID ? Self.inputTensor(image, resizeTo: Self.inputSize)
                                                     : Self.tensorflowInputTensor(image, size: Self.inputSize)
            values += try features(network: x).scalars.map { Double($0) }
        }
        return try FeatureMatrix(count: images.count, dimension: Self.dimension, values: values)
    }

    /// The network on an already prepared [N, 3, H, W] input in [−1, 1] (H, W ≥ 75): [N, 2048] features.
    public func features(network x: Tensor) throws -> Tensor {
        var h = try stem[0](x)
        h = try stem[2](stem[1](h))
        h = try Kernels.maxPool2d(h, kernel: 3, stride: 2)
        h = try stem[4](stem[3](h))
        h = try Kernels.maxPool2d(h, kernel: 3, stride: 2)
        for block in mixed5 { h = try block(h) }
        h = try mixed6a(h)
        for block in mixed6 { h = try block(h) }
        h = try mixed7a(h)
        for block in mixed7 { h = try block(h) }
        let pooled = try Kernels.spatialMean(h)
        return try pooled.reshaped([pooled.shape[0], pooled.shape[1]])
    }

    /// [1, 3, size, size] tensor: pixels/255 (torchvision ToTensor), bilinear resize (align_corners=False), 2x − 1.
    /// `resizeTo: nil` keeps the image size.
    static func inputTensor(_ img: MetricImage, resizeTo size: Int?) throws -> Tensor {
        let h = img.height, w = img.width, plane = h * w
        var t = Tensor(uninitializedShape: [1, 3, h, w])
        t.withUnsafeMutableBufferPointer { dst in
            img.pixels.withUnsafeBufferPointer { src in
                for c in 0..<3 {
                    for i in 0..<plane { dst[c &* plane &+ i] = src[i &* 3 &+ c] / 255 }
                }
            }
        }
        if let size { t = try Kernels.resizeBilinear(t, height: size, width: size, alignCorners: false) }
        return Kernels.affine(t, scale: 2, shift: -1)
    }

    /// torch-fidelity's input: TensorFlow 1.x bilinear resize (`interpolate_bilinear_2d_like_tensorflow1x`,
    /// align_corners=False: source = destination · in/out, no half-pixel shift) in float32, then (x − 128)/128.
    static func tensorflowInputTensor(_ img: MetricImage, size: Int) throws -> Tensor {
        func axis(_ input: Int) -> [(Int, Int, Float)] {
            let scale = Float(Double(input) / Double(size))
            return (0..<size).map { o in
                let src = Float(o) * scale
                let lo = Int(src)
                return (lo, min(lo + 1, input - 1), src - Float(lo))
            }
        }
        let ay = axis(img.height), ax = axis(img.width)
        var t = Tensor(uninitializedShape: [1, 3, size, size])
        let w = img.width
        t.withUnsafeMutableBufferPointer { dst in
            img.pixels.withUnsafeBufferPointer { src in
                for c in 0..<3 {
                    for (oy, (y0, y1, dy)) in ay.enumerated() {
                        for (ox, (x0, x1, dx)) in ax.enumerated() {
                            let p00 = src[(y0 &* w &+ x0) &* 3 &+ c], p01 = src[(y0 &* w &+ x1) &* 3 &+ c]
                            let p10 = src[(y1 &* w &+ x0) &* 3 &+ c], p11 = src[(y1 &* w &+ x1) &* 3 &+ c]
                            let top = p00 + (p01 - p00) * dx
                            let bottom = p10 + (p11 - p10) * dx
                            let v = top + (bottom - top) * dy
                            dst[(c &* size &+ oy) &* size &+ ox] = (v - 128) / 128
                        }
                    }
                }
            }
        }
        return t
    }
}
