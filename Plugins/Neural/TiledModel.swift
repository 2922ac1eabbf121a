import NeuralKernels

/// A network as the tiling engine sees it: 8-bit interleaved input bands → 3 output planes in [−1, 1], with
/// its receptive field, stride alignment and instance-norm layer count.
struct TiledModel: Sendable {
    let inputBands: Int
    let receptiveField: ReceptiveField
    let normLayerCount: Int
    /// [1, inputBands, H, W] with values (u8 − 127.5)/127.5, H and W multiples of `alignment` → [1, 3, H, W].
    let run: @Sendable (Tensor, Normalizer) throws -> Tensor

    var alignment: Int { receptiveField.alignment }

    /// Runs the network for the output rectangle (x, y, width, height) of a `imageWidth` × `imageHeight` image.
    ///
    /// `input` holds the rectangle grown by `halo` on every side (interleaved 8-bit, mirrored outside the image,
    /// as `VipsImage.generate` delivers it). The network sees only the part inside the image, reflection-padded on
    /// the right and bottom to a multiple of `alignment` — exactly what a whole-image run sees at those borders —
    /// so with frozen statistics and a halo covering the receptive field a tile equals the whole-image result.
    /// Returns `width * height * 3` interleaved values in [−1, 1]; pixels beyond the image are 0.
    func outputTile(input: [UInt8], x: Int, y: Int, width: Int, height: Int, halo: Int, imageWidth: Int,
                    imageHeight: Int, normalizer: Normalizer,
                    accumulate: (accumulator: StatisticsAccumulator, layer: Int)? = nil) throws -> [Float] {
        let bands = inputBands
        let x0 = max(0, x - halo), x1 = min(imageWidth, x + width + halo)
        let y0 = max(0, y - halo), y1 = min(imageHeight, y + height + halo)
        guard x1 > x0, y1 > y0, x0 % alignment == 0, y0 % alignment == 0 else {
            throw NeuralNodeError("tile \(width)x\(height) at (\(x), \(y)) with halo \(halo) is not aligned to "
                                  + "\(alignment) pixels")
        }
        let regionWidth = x1 - x0, regionHeight = y1 - y0
        let bufferWidth = width + 2 * halo
        guard input.count == bufferWidth * (height + 2 * halo) * bands else {
            throw NeuralNodeError("tile input has \(input.count) values, expected "
                                  + "\(bufferWidth * (height + 2 * halo) * bands)")
        }
        // Planar floats of the in-image part of the tile.
        let plane = regionWidth * regionHeight
        var tensor = Tensor(uninitializedShape: [1, bands, regionHeight, regionWidth])
        input.withUnsafeBufferPointer { source in
            tensor.withUnsafeMutableBufferPointer { target in
                let offsetX = x0 - (x - halo), offsetY = y0 - (y - halo)
                for row in 0..<regionHeight {
                    let line = ((offsetY &+ row) &* bufferWidth &+ offsetX) &* bands
                    for column in 0..<regionWidth {
                        let pixel = line &+ column &* bands
                        for band in 0..<bands {
                            target[band &* plane &+ row &* regionWidth &+ column] =
                                (Float(source[pixel &+ band]) - 127.5) / 127.5
                        }
                    }
                }
            }
        }
        let padRight = (alignment - regionWidth % alignment) % alignment
        let padBottom = (alignment - regionHeight % alignment) % alignment
        if padRight > 0 || padBottom > 0 {
            guard padRight < regionWidth, padBottom < regionHeight else {
                throw NeuralNodeError("image part \(regionWidth)x\(regionHeight) is too small to pad to a multiple "
                                      + "of \(alignment)")
            }
            tensor = try Kernels.reflectPad(tensor, left: 0, right: padRight, top: 0, bottom: padBottom)
        }
        if let accumulate {
            // The tile owns its output rectangle; at the right and bottom image edges also the alignment padding,
            // which a whole-image pass normalizes over too.
            let right = x + width >= imageWidth ? regionWidth + padRight : x + width - x0
            let bottom = y + height >= imageHeight ? regionHeight + padBottom : y + height - y0
            let centre = TileCentre(left: x - x0, top: y - y0, right: right, bottom: bottom,
                                    inputWidth: regionWidth + padRight, inputHeight: regionHeight + padBottom)
            normalizer.accumulation = (accumulate.accumulator, centre, accumulate.layer)
        }
        let result = try run(tensor, normalizer)
        let outWidth = regionWidth + padRight, outPlane = outWidth * (regionHeight + padBottom)
        guard result.shape == [1, 3, regionHeight + padBottom, outWidth] else {
            throw NeuralNodeError("network returned \(result.shape) for a \(outWidth)-wide input")
        }
        // The requested rectangle, interleaved; zero beyond the image.
        var out = [Float](repeating: 0, count: width * height * 3)
        result.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { target in
                for row in 0..<min(height, imageHeight - y) {
                    let sourceRow = (y + row - y0) * outWidth + (x - x0)
                    for column in 0..<min(width, imageWidth - x) {
                        let pixel = (row &* width &+ column) &* 3
                        for band in 0..<3 { target[pixel &+ band] = values[band &* outPlane &+ sourceRow &+ column] }
                    }
                }
            }
        }
        return out
    }
}

/// y = saturate_round(127.5·ŷ + 127.5) (docs/paper.md ("Data")), round half to even like OpenCV.
func eightBit(_ values: [Float]) -> [UInt8] {
    values.map { UInt8(min(max((127.5 * $0 + 127.5).rounded(.toNearestOrEven), 0), 255)) }
}
