/// Shape of a ResNet generator (docs/paper.md ("Networks")): c7s1-f, d2f, d4f, `blocks` × ResBlock(4f), u2f, uf, c7s1-out.
public struct ResnetGeneratorConfig: Sendable, Equatable, Codable {
    public var inputChannels: Int
    public var outputChannels: Int
    /// Filters of the first layer (ngf); the body runs at 4 × filters.
    public var filters: Int
    public var blocks: Int

    public init(inputChannels: Int, outputChannels: Int, filters: Int = 64, blocks: Int = 9) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.filters = filters
        self.blocks = blocks
    }

    /// The student G: [x RGB, mean(z)] → RGB, ngf 64, 9 blocks.
    public static let student = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3)
    /// The backward generator F: RGB → RGB.
    public static let backward = ResnetGeneratorConfig(inputChannels: 3, outputChannels: 3)

    /// InstanceNorm layers in one forward pass (3 down, 2 per block, 2 up): how many statistics a tiled run freezes.
    public var instanceNormLayerCount: Int { 5 + 2 * blocks }

    func validate() throws {
        guard inputChannels > 0, outputChannels > 0, filters > 0, blocks >= 0 else {
            throw ModelError.invalidConfiguration("generator needs positive channels and filters, blocks ≥ 0: \(self)")
        }
    }

    /// Parameters and convolution costs at `height` × `width`.
    public func cost(height: Int, width: Int) throws -> NetworkCost {
        try validate()
        var walk = ShapeWalker()
        let f = filters
        var s = try walk.conv("model_head.1", inputChannels, f, kernel: 7, padding: 3, at: (height, width))
        s = try walk.conv("model_head.4", f, 2 * f, kernel: 3, stride: 2, padding: 1, at: s)
        s = try walk.conv("model_head.7", 2 * f, 4 * f, kernel: 3, stride: 2, padding: 1, at: s)
        for i in 0..<blocks {
            s = try walk.conv("model_body.\(i).conv_block.1", 4 * f, 4 * f, kernel: 3, padding: 1, at: s)
            s = try walk.conv("model_body.\(i).conv_block.5", 4 * f, 4 * f, kernel: 3, padding: 1, at: s)
        }
        s = try walk.convTranspose("model_tail.0", 4 * f, 2 * f, kernel: 3, stride: 2, padding: 1,
                                   outputPadding: 1, at: s)
        s = try walk.convTranspose("model_tail.3", 2 * f, f, kernel: 3, stride: 2, padding: 1, outputPadding: 1, at: s)
        _ = try walk.conv("model_tail.7", f, outputChannels, kernel: 7, padding: 3, at: s)
        return walk.cost
    }
}
