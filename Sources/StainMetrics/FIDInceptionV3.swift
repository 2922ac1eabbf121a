import NeuralKernels

/// The Inception-v3 feature extractor of pytorch-fid 0.2.1 (`InceptionV3([3])` with the FID weights
/// `pt_inception-2015-12-05-6726825d.pth`, REFERENCE-SPEC §7): RGB in [0, 1] resized to 299×299 (bilinear,
/// align_corners=False), scaled to [−1, 1], the stem, Mixed_5b…Mixed_7c, global average pool → 2048 values.
/// Weight names are the torchvision/pytorch-fid state_dict keys (`Conv2d_1a_3x3.conv.weight`, `Mixed_5b.…`).
public struct FIDInceptionV3: Sendable {
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

    /// 2048-d features of each RGB image (0…255, any size ≥ 1×1), as pytorch-fid computes them.
    public func features(_ images: [MetricImage]) throws -> FeatureMatrix {
        var values = [Double]()
        values.reserveCapacity(images.count * Self.dimension)
        for image in images {
            guard image.channels == 3 else {
                throw MetricError.invalidImage("FID features need RGB images, got \(image.channels) channels")
            }
            let x = try Self.inputTensor(image, resizeTo: Self.inputSize)
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
}
