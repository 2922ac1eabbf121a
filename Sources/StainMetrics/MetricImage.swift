/// An 8-bit-range image for the metrics: H×W×C interleaved (row-major, channels last), values in 0…255.
///
/// The metrics read images exactly as the paper's evaluation scripts do (8-bit PNGs loaded as float),
/// so `pixels` normally holds whole numbers; fractional values are accepted and used as they are.
public struct MetricImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// Interleaved samples, `pixels[(y * width + x) * channels + c]`, in 0…255.
    public let pixels: [Float]

    /// Wraps interleaved float samples (0…255). Throws if the buffer size does not match the shape.
    public init(width: Int, height: Int, channels: Int, pixels: [Float]) throws {
        guard width > 0, height > 0, channels > 0 else {
            throw MetricError.invalidImage("shape \(width)×\(height)×\(channels) has a zero or negative dimension")
        }
        guard pixels.count == width * height * channels else {
            throw MetricError.invalidImage(
                "buffer holds \(pixels.count) values, shape \(width)×\(height)×\(channels) needs \(width * height * channels)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Wraps interleaved 8-bit samples.
    public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) throws {
        try self.init(width: width, height: height, channels: channels, pixels: bytes.map { Float($0) })
    }

    /// Number of samples (width · height · channels).
    public var count: Int { pixels.count }

    /// Samples as 8-bit values, rounded half to even and saturated to 0…255.
    public var bytes: [UInt8] {
        pixels.map { UInt8(max(0, min(255, $0.rounded(.toNearestOrEven)))) }
    }

    /// LPIPS-c's gray version of an RGB prediction (paper `evaluation/cal_U.py`): luma
    /// 0.114·B + 0.587·G + 0.299·R in double precision, stored as float32, written as 8 bits (round half to even,
    /// saturated) and copied into 3 channels. It is compared against the gray enhanced image z (docs/paper.md ("Metrics")).
    public func quantisedLumaRGB() throws -> MetricImage {
        guard channels == 3 else { throw MetricError.invalidImage("luma needs an RGB image, got \(channels) channels") }
        var out = [Float](repeating: 0, count: width * height * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(width &* height) {
                    let r = Double(src[i &* 3]), g = Double(src[i &* 3 &+ 1]), b = Double(src[i &* 3 &+ 2])
                    let luma = Float(0.114 * b + 0.587 * g + 0.299 * r)
                    let y = max(0, min(255, luma.rounded(.toNearestOrEven)))
                    dst[i &* 3] = y
                    dst[i &* 3 &+ 1] = y
                    dst[i &* 3 &+ 2] = y
                }
            }
        }
        return try MetricImage(width: width, height: height, channels: 3, pixels: out)
    }

    /// Throws unless `other` has the same width, height and channel count.
    func requireSameShape(as other: MetricImage, _ metric: String) throws {
        guard width == other.width, height == other.height, channels == other.channels else {
            throw MetricError.sizeMismatch(
                "\(metric): \(width)×\(height)×\(channels) vs \(other.width)×\(other.height)×\(other.channels)")
        }
    }
}
