import Foundation
import NeuralKernels
import Vips

/// One decoded 8-bit training image, interleaved (row-major, channels last) — the form the augmentation works on.
public struct TrainingImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Decodes `path` completely with libvips, failing on any decoder error (a truncated or corrupt file throws
    /// instead of giving a half-gray image). 8-bit images only: training data is checked up front by `TrainingSet`.
    public static func load(_ path: String) throws -> TrainingImage {
        let image: VipsImage
        do {
            image = try VipsImage(contentsOf: path, options: ["fail_on": .enumeration("error")])
        } catch {
            throw TrainingDataError(path, "cannot read the image (\(error))")
        }
        guard image.format == .uchar else {
            throw TrainingDataError(path, "is \(image.format.nick); training images must be 8-bit")
        }
        do {
            return TrainingImage(width: image.width, height: image.height, channels: image.bands,
                                 pixels: try image.pixels(as: UInt8.self))
        } catch {
            throw TrainingDataError(path, "the image is damaged (\(error))")
        }
    }

    /// The channel mean as one channel (a gray z stored as 3 equal bands gives that gray exactly).
    public func gray() -> TrainingImage {
        guard channels > 1 else { return self }
        var out = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<out.count {
                var sum = 0
                for c in 0..<channels { sum &+= Int(p[i &* channels &+ c]) }
                out[i] = UInt8((Double(sum) / Double(channels)).rounded())
            }
        }
        return TrainingImage(width: width, height: height, channels: 1, pixels: out)
    }

    /// Planar float tensor [1, C, H, W] with value = (v − 127.5)/127.5 (the paper's ToTensor + Normalize(0.5, 0.5)).
    public func tensor() -> Tensor {
        Tensor(interleaved: pixels.map { (Float($0) - 127.5) / 127.5 }, width: width, height: height, channels: channels)
    }

    /// The inverse of `tensor()` for one image of a batch: y = saturate(round(127.5·v + 127.5)) (the paper's test
    /// output conversion).
    public static func from(tensor t: Tensor, index n: Int = 0) -> TrainingImage {
        let pixels = t.interleaved(index: n).map { v -> UInt8 in
            let value = (127.5 * v + 127.5).rounded(.toNearestOrEven)
            return UInt8(max(0, min(255, value.isNaN ? 0 : value)))
        }
        return TrainingImage(width: t.shape[3], height: t.shape[2], channels: t.shape[1], pixels: pixels)
    }

    /// A libvips memory image of the pixels (for saving and drawing panels).
    public func vipsImage() throws -> VipsImage {
        try VipsImage.from(buffer: pixels, width: width, height: height, bands: channels)
    }
}

/// A problem with a training file: the message names the file.
public struct TrainingDataError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}
