/// Shape of the 70×70 PatchGAN discriminator (docs/paper.md ("Networks")).
public struct PatchDiscriminatorConfig: Sendable, Equatable, Codable {
    public var inputChannels: Int
    /// Filters of the first layer (ndf); later layers use 2×, 4×, 8×.
    public var filters: Int

    public init(inputChannels: Int = 3, filters: Int = 64) {
        self.inputChannels = inputChannels
        self.filters = filters
    }

    public static let paper = PatchDiscriminatorConfig()

    func validate() throws {
        guard inputChannels > 0, filters > 0 else {
            throw ModelError.invalidConfiguration("discriminator needs positive channels and filters: \(self)")
        }
    }

    /// Parameters and convolution costs at `height` × `width`.
    public func cost(height: Int, width: Int) throws -> NetworkCost {
        try validate()
        var walk = ShapeWalker()
        let f = filters
        var s = try walk.conv("model.0", inputChannels, f, kernel: 4, stride: 2, padding: 1, at: (height, width))
        s = try walk.conv("model.2", f, 2 * f, kernel: 4, stride: 2, padding: 1, at: s)
        s = try walk.conv("model.5", 2 * f, 4 * f, kernel: 4, stride: 2, padding: 1, at: s)
        s = try walk.conv("model.8", 4 * f, 8 * f, kernel: 4, stride: 1, padding: 1, at: s)
        s = try walk.conv("model.11", 8 * f, 1, kernel: 4, stride: 1, padding: 1, at: s)
        guard s.h > 0, s.w > 0 else { throw ModelError.inputTooSmall(layer: "model.11", height: height, width: width) }
        return walk.cost
    }
}
