/// Shape of the registration ResUnet R (docs/paper.md ("Networks"); Reg-GAN cfg 'A' by default).
public struct RegistrationConfig: Sendable, Equatable, Codable {
    /// Channels of the two images that are concatenated at the input.
    public var inputChannelsA: Int
    public var inputChannelsB: Int
    /// Output channels of down_1…down_n.
    public var downFilters: [Int]
    /// Output channels of up_n…up_1 (same count as `downFilters`).
    public var upFilters: [Int]
    /// ResnetBlocks in the bottleneck `t`.
    public var bottleneckBlocks: Int

    public init(inputChannelsA: Int = 3, inputChannelsB: Int = 3, downFilters: [Int] = [32, 64, 64, 64, 64, 64, 64],
                upFilters: [Int] = [64, 64, 64, 64, 64, 64, 32], bottleneckBlocks: Int = 3) {
        self.inputChannelsA = inputChannelsA
        self.inputChannelsB = inputChannelsB
        self.downFilters = downFilters
        self.upFilters = upFilters
        self.bottleneckBlocks = bottleneckBlocks
    }

    /// The paper's R: 3 + 3 input channels, cfg 'A'.
    public static let paper = RegistrationConfig()

    /// cfg 'A' scaled: `depth` levels of `width` channels, the first down and last up level with half as many
    /// (width 64, depth 7 is the paper's).
    public static func scaled(width: Int, depth: Int) -> RegistrationConfig {
        let half = max(1, width / 2)
        return RegistrationConfig(downFilters: [half] + Array(repeating: width, count: max(0, depth - 1)),
                                  upFilters: Array(repeating: width, count: max(0, depth - 1)) + [half])
    }

    /// Number of down (and up) levels.
    public var depth: Int { downFilters.count }

    /// The smallest square input: every ResnetBlock needs at least 2×2 (reflection padding), and the bottleneck
    /// runs after `depth` 2× max-pools.
    public var minimumInputSize: Int { 2 << depth }

    func validate() throws {
        guard inputChannelsA > 0, inputChannelsB > 0, !downFilters.isEmpty, downFilters.count == upFilters.count,
              (downFilters + upFilters).allSatisfy({ $0 > 0 }), bottleneckBlocks >= 0 else {
            throw ModelError.invalidConfiguration("registration net needs positive channels and equally many down and "
                                                  + "up filters: \(self)")
        }
    }

    func checkInputSize(height: Int, width: Int) throws {
        var h = height, w = width
        for k in 1...depth {
            guard h >= 2, w >= 2 else { throw ModelError.inputTooSmall(layer: "offset_map.down_\(k)", height: h, width: w) }
            h /= 2
            w /= 2
        }
        guard h >= 2, w >= 2 else { throw ModelError.inputTooSmall(layer: "offset_map.t", height: h, width: w) }
    }

    /// Parameters and convolution costs at `height` × `width`.
    public func cost(height: Int, width: Int) throws -> NetworkCost {
        try validate()
        try checkInputSize(height: height, width: width)
        var walk = ShapeWalker()
        var s = (h: height, w: width)
        var c = inputChannelsA + inputChannelsB
        var skips: [(size: (h: Int, w: Int), channels: Int)] = []
        func resnetBlock(_ prefix: String, _ ch: Int, _ at: (h: Int, w: Int)) throws {
            _ = try walk.conv("\(prefix).conv_block.1", ch, ch, kernel: 3, padding: 1, at: at)
            _ = try walk.conv("\(prefix).conv_block.5", ch, ch, kernel: 3, padding: 1, at: at)
        }
        for (i, out) in downFilters.enumerated() {
            let name = "offset_map.down_\(i + 1).conv_0"
            s = try walk.conv("\(name).conv2d", c, out, kernel: 3, padding: 1, at: s)
            try resnetBlock("\(name).resnet_block.model.0", out, s)
            skips.append((s, out))
            s = (s.h / 2, s.w / 2)
            c = out
        }
        s = try walk.conv("offset_map.c1.conv2d", c, 2 * c, kernel: 1, at: s)
        for b in 0..<bottleneckBlocks { try resnetBlock("offset_map.t.model.\(b)", 2 * c, s) }
        s = try walk.conv("offset_map.c2.conv2d", 2 * c, c, kernel: 1, at: s)
        for (i, out) in upFilters.enumerated() {
            let k = depth - i
            let skip = skips[k - 1]
            s = try walk.conv("offset_map.up_\(k).conv2d", c + skip.channels, out, kernel: 3, padding: 1, at: skip.size)
            c = out
        }
        try resnetBlock("offset_map.refine.0.model.0", c, s)
        s = try walk.conv("offset_map.refine.1.conv2d", c, c, kernel: 1, at: s)
        _ = try walk.conv("offset_map.output.conv2d", c, 2, kernel: 3, padding: 1, at: s)
        return walk.cost
    }
}
