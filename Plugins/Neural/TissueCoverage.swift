import StainCore
import Vips

/// Which tiles of an image hold tissue, from a small mask (the `tissue-mask` node's output: 255 tissue, 0 glass)
/// that may be at a lower resolution than the image: a tile's rectangle is mapped onto the mask and the fraction
/// of tissue pixels under it is compared with `min-tissue`. Tiles below it are not computed but filled with the
/// background; tissue tiles still read their halo from the real image, so there is no seam at the tissue border.
struct TissueCoverage: Sendable {
    let mask: [UInt8]
    let maskWidth: Int, maskHeight: Int
    let imageWidth: Int, imageHeight: Int
    let minimum: Double

    init(mask image: VipsImage, imageWidth: Int, imageHeight: Int, minimum: Double) throws {
        guard image.bands == 1 else { throw NodeRunError(.failure, "the mask has \(image.bands) bands; it needs 1") }
        // The mask is small (a thumbnail); hold it in memory.
        mask = try image.cast(to: .uchar).pixels(as: UInt8.self)
        maskWidth = image.width
        maskHeight = image.height
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.minimum = minimum
    }

    /// The fraction of tissue under an image rectangle (every mask pixel the rectangle touches counts).
    func fraction(x: Int, y: Int, width: Int, height: Int) -> Double {
        let x0 = min(maskWidth - 1, x * maskWidth / imageWidth)
        let y0 = min(maskHeight - 1, y * maskHeight / imageHeight)
        let x1 = max(x0 + 1, min(maskWidth, ((x + width) * maskWidth + imageWidth - 1) / imageWidth))
        let y1 = max(y0 + 1, min(maskHeight, ((y + height) * maskHeight + imageHeight - 1) / imageHeight))
        var tissue = 0
        for row in y0..<y1 {
            for column in x0..<x1 where mask[row &* maskWidth &+ column] >= 128 { tissue &+= 1 }
        }
        return Double(tissue) / Double((x1 - x0) * (y1 - y0))
    }

    /// Whether a tile is computed.
    func holdsTissue(x: Int, y: Int, width: Int, height: Int) -> Bool {
        fraction(x: x, y: y, width: width, height: height) >= minimum
    }
}
