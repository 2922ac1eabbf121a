import NeuralKernels

/// pytorch-fid's `FIDInceptionA`: 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | avg-pool (no padded zeros counted)→1×1.
struct InceptionBlockA: Sendable {
    let b1, b5a, b5b, d1, d2, d3, pool: InceptionConv

    init(_ d: StateDict, _ name: String, _ cin: Int, poolFeatures: Int) throws {
        b1 = try InceptionConv(d, "\(name).branch1x1", cin, 64, kernel: (1, 1))
        b5a = try InceptionConv(d, "\(name).branch5x5_1", cin, 48, kernel: (1, 1))
        b5b = try InceptionConv(d, "\(name).branch5x5_2", 48, 64, kernel: (5, 5), padding: (2, 2))
        d1 = try InceptionConv(d, "\(name).branch3x3dbl_1", cin, 64, kernel: (1, 1))
        d2 = try InceptionConv(d, "\(name).branch3x3dbl_2", 64, 96, kernel: (3, 3), padding: (1, 1))
        d3 = try InceptionConv(d, "\(name).branch3x3dbl_3", 96, 96, kernel: (3, 3), padding: (1, 1))
        pool = try InceptionConv(d, "\(name).branch_pool", cin, poolFeatures, kernel: (1, 1))
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Kernels.concatChannels([b1(x), b5b(b5a(x)), d3(d2(d1(x))), pool(InceptionPooling.averagePool3x3(x))])
    }
}

/// torchvision `InceptionB` (grid reduction 35→17): 3×3/2 | 1×1→3×3→3×3/2 | max-pool 3/2.
struct InceptionBlockB: Sendable {
    let b3, d1, d2, d3: InceptionConv

    init(_ d: StateDict, _ name: String, _ cin: Int) throws {
        b3 = try InceptionConv(d, "\(name).branch3x3", cin, 384, kernel: (3, 3), stride: 2)
        d1 = try InceptionConv(d, "\(name).branch3x3dbl_1", cin, 64, kernel: (1, 1))
        d2 = try InceptionConv(d, "\(name).branch3x3dbl_2", 64, 96, kernel: (3, 3), padding: (1, 1))
        d3 = try InceptionConv(d, "\(name).branch3x3dbl_3", 96, 96, kernel: (3, 3), stride: 2)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Kernels.concatChannels([b3(x), d3(d2(d1(x))), Kernels.maxPool2d(x, kernel: 3, stride: 2)])
    }
}

/// pytorch-fid's `FIDInceptionC`: factorised 7×7 branches (1×7 / 7×1) and an average-pool branch.
struct InceptionBlockC: Sendable {
    let b1, s1, s2, s3, d1, d2, d3, d4, d5, pool: InceptionConv

    init(_ d: StateDict, _ name: String, _ cin: Int, channels7x7 c7: Int) throws {
        b1 = try InceptionConv(d, "\(name).branch1x1", cin, 192, kernel: (1, 1))
        s1 = try InceptionConv(d, "\(name).branch7x7_1", cin, c7, kernel: (1, 1))
        s2 = try InceptionConv(d, "\(name).branch7x7_2", c7, c7, kernel: (1, 7), padding: (0, 3))
        s3 = try InceptionConv(d, "\(name).branch7x7_3", c7, 192, kernel: (7, 1), padding: (3, 0))
        d1 = try InceptionConv(d, "\(name).branch7x7dbl_1", cin, c7, kernel: (1, 1))
        d2 = try InceptionConv(d, "\(name).branch7x7dbl_2", c7, c7, kernel: (7, 1), padding: (3, 0))
        d3 = try InceptionConv(d, "\(name).branch7x7dbl_3", c7, c7, kernel: (1, 7), padding: (0, 3))
        d4 = try InceptionConv(d, "\(name).branch7x7dbl_4", c7, c7, kernel: (7, 1), padding: (3, 0))
        d5 = try InceptionConv(d, "\(name).branch7x7dbl_5", c7, 192, kernel: (1, 7), padding: (0, 3))
        pool = try InceptionConv(d, "\(name).branch_pool", cin, 192, kernel: (1, 1))
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Kernels.concatChannels([b1(x), s3(s2(s1(x))), d5(d4(d3(d2(d1(x))))),
                                    pool(InceptionPooling.averagePool3x3(x))])
    }
}

/// torchvision `InceptionD` (grid reduction 17→8): 1×1→3×3/2 | 1×1→1×7→7×1→3×3/2 | max-pool 3/2.
struct InceptionBlockD: Sendable {
    let a1, a2, b1, b2, b3, b4: InceptionConv

    init(_ d: StateDict, _ name: String, _ cin: Int) throws {
        a1 = try InceptionConv(d, "\(name).branch3x3_1", cin, 192, kernel: (1, 1))
        a2 = try InceptionConv(d, "\(name).branch3x3_2", 192, 320, kernel: (3, 3), stride: 2)
        b1 = try InceptionConv(d, "\(name).branch7x7x3_1", cin, 192, kernel: (1, 1))
        b2 = try InceptionConv(d, "\(name).branch7x7x3_2", 192, 192, kernel: (1, 7), padding: (0, 3))
        b3 = try InceptionConv(d, "\(name).branch7x7x3_3", 192, 192, kernel: (7, 1), padding: (3, 0))
        b4 = try InceptionConv(d, "\(name).branch7x7x3_4", 192, 192, kernel: (3, 3), stride: 2)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Kernels.concatChannels([a2(a1(x)), b4(b3(b2(b1(x)))), Kernels.maxPool2d(x, kernel: 3, stride: 2)])
    }
}

/// pytorch-fid's `FIDInceptionE_1` (average-pool branch) and `FIDInceptionE_2` (max-pool 3/1 pad 1 branch).
struct InceptionBlockE: Sendable {
    let b1, t1, t2a, t2b, d1, d2, d3a, d3b, pool: InceptionConv
    let maxPoolBranch: Bool

    init(_ d: StateDict, _ name: String, _ cin: Int, maxPoolBranch: Bool) throws {
        b1 = try InceptionConv(d, "\(name).branch1x1", cin, 320, kernel: (1, 1))
        t1 = try InceptionConv(d, "\(name).branch3x3_1", cin, 384, kernel: (1, 1))
        t2a = try InceptionConv(d, "\(name).branch3x3_2a", 384, 384, kernel: (1, 3), padding: (0, 1))
        t2b = try InceptionConv(d, "\(name).branch3x3_2b", 384, 384, kernel: (3, 1), padding: (1, 0))
        d1 = try InceptionConv(d, "\(name).branch3x3dbl_1", cin, 448, kernel: (1, 1))
        d2 = try InceptionConv(d, "\(name).branch3x3dbl_2", 448, 384, kernel: (3, 3), padding: (1, 1))
        d3a = try InceptionConv(d, "\(name).branch3x3dbl_3a", 384, 384, kernel: (1, 3), padding: (0, 1))
        d3b = try InceptionConv(d, "\(name).branch3x3dbl_3b", 384, 384, kernel: (3, 1), padding: (1, 0))
        pool = try InceptionConv(d, "\(name).branch_pool", cin, 192, kernel: (1, 1))
        self.maxPoolBranch = maxPoolBranch
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let t = try t1(x), dd = try d2(d1(x))
        let pooled = maxPoolBranch ? try Kernels.maxPool2d(x, kernel: 3, stride: 1, padding: 1)
                                   : try InceptionPooling.averagePool3x3(x)
        return try Kernels.concatChannels([b1(x), t2a(t), t2b(t), d3a(dd), d3b(dd), pool(pooled)])
    }
}
