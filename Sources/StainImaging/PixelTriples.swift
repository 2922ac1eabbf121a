import Vips

/// Streams a per-pixel function of 3-band pixels over an image, tile by tile.
public enum PixelTriples {
    public static func map<In: VipsPixel, Out: VipsPixel>(
        _ image: VipsImage, from: In.Type, interpretation: Interpretation,
        _ convert: @escaping @Sendable (In, In, In) -> (Out, Out, Out)
    ) throws -> VipsImage {
        try VipsImage.generate(from: image, inputAs: In.self, outputBands: 3, interpretation: interpretation) {
            (request: TileRequest<In>) -> [Out] in
            var out = [Out](repeating: .zero, count: request.outputCount)
            request.input.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    var i = 0
                    while i < dst.count {
                        (dst[i], dst[i &+ 1], dst[i &+ 2]) = convert(src[i], src[i &+ 1], src[i &+ 2])
                        i &+= 3
                    }
                }
            }
            return out
        }
    }
}
