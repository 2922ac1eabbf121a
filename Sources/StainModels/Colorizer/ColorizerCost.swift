/// Cost walk of the SIGGRAPH colorizer (docs/paper.md ("Networks")); the network has no configuration.
public enum SIGGRAPHColorizerShape {
    /// The paper's width: the first block's channels (the later blocks have 2×, 4× and 8× as many).
    public static let paperWidth = 64

    /// (prefix, in, out, dilation) of every 3×3 convolution in blocks model1…model7, in forward order, for a
    /// colorizer whose first block has `w` channels (the paper's: 64, giving 64/128/256/512).
    static func encoderBlocks(width w: Int) -> [(name: String, convs: [(Int, Int)], dilation: Int)] {
        [
            ("model1", [(3, w), (w, w)], 1),
            ("model2", [(w, 2 * w), (2 * w, 2 * w)], 1),
            ("model3", [(2 * w, 4 * w), (4 * w, 4 * w), (4 * w, 4 * w)], 1),
            ("model4", [(4 * w, 8 * w), (8 * w, 8 * w), (8 * w, 8 * w)], 1),
            ("model5", [(8 * w, 8 * w), (8 * w, 8 * w), (8 * w, 8 * w)], 2),
            ("model6", [(8 * w, 8 * w), (8 * w, 8 * w), (8 * w, 8 * w)], 2),
            ("model7", [(8 * w, 8 * w), (8 * w, 8 * w), (8 * w, 8 * w)], 1),
        ]
    }

    /// Parameters and convolution costs at `height` × `width` (both multiples of 8), including the unused
    /// `model_class` head, which the reference forward pass computes.
    public static func cost(height: Int, width: Int, channels w: Int = paperWidth) throws -> NetworkCost {
        guard height >= 8, width >= 8, height % 8 == 0, width % 8 == 0 else {
            throw ModelError.invalidInput("the colorizer needs height and width that are positive multiples of 8, "
                                          + "got \(height)×\(width)")
        }
        var walk = ShapeWalker()
        var s = (h: height, w: width)
        for (b, block) in encoderBlocks(width: w).enumerated() {
            if (1...3).contains(b) { s = ((s.h + 1) / 2, (s.w + 1) / 2) }
            for (i, conv) in block.convs.enumerated() {
                s = try walk.conv("\(block.name).\(2 * i)", conv.0, conv.1, kernel: 3, padding: block.dilation,
                                  dilation: block.dilation, at: s)
            }
        }
        let s3 = (h: height / 4, w: width / 4), s2 = (h: height / 2, w: width / 2), s1 = (h: height, w: width)
        s = try walk.convTranspose("model8up.0", 8 * w, 4 * w, kernel: 4, stride: 2, padding: 1, at: s)
        _ = try walk.conv("model3short8.0", 4 * w, 4 * w, kernel: 3, padding: 1, at: s3)
        s = try walk.conv("model8.1", 4 * w, 4 * w, kernel: 3, padding: 1, at: s)
        s = try walk.conv("model8.3", 4 * w, 4 * w, kernel: 3, padding: 1, at: s)
        _ = try walk.conv("model_class.0", 4 * w, 529, kernel: 1, at: s)
        s = try walk.convTranspose("model9up.0", 4 * w, 2 * w, kernel: 4, stride: 2, padding: 1, at: s)
        _ = try walk.conv("model2short9.0", 2 * w, 2 * w, kernel: 3, padding: 1, at: s2)
        s = try walk.conv("model9.1", 2 * w, 2 * w, kernel: 3, padding: 1, at: s)
        s = try walk.convTranspose("model10up.0", 2 * w, 2 * w, kernel: 4, stride: 2, padding: 1, at: s)
        _ = try walk.conv("model1short10.0", w, 2 * w, kernel: 3, padding: 1, at: s1)
        s = try walk.conv("model10.1", 2 * w, 2 * w, kernel: 3, padding: 1, at: s)
        _ = try walk.conv("model_out.0", 2 * w, 2, kernel: 1, at: s)
        return walk.cost
    }
}
