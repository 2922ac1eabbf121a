import Foundation

/// Parameters and operation counts of a network at one input size, built from its convolution layers.
/// Every parameter of the paper's networks belongs to a convolution, so `parameterCount` is the full count.
public struct NetworkCost: Sendable, Equatable {
    public var layers: [ConvLayerShape]

    public init(layers: [ConvLayerShape]) { self.layers = layers }

    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Multiply-accumulates of one batch-1 pass.
    public func multiplyAccumulates(_ convention: FlopConvention) -> Int {
        layers.reduce(0) { $0 + $1.multiplyAccumulates(convention) }
    }

    /// FLOPs = 2 × MACs (the paper's definition).
    public func flops(_ convention: FlopConvention) -> Int { 2 * multiplyAccumulates(convention) }

    /// `114.01 G`-style text: the count divided by 10⁹, two decimals.
    public static func giga(_ count: Int) -> String {
        String(format: "%.2f G", Double(count) / 1e9)
    }

    /// `11,381,315`-style text.
    public static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return count < 0 ? "-" + out : out
    }

    /// A one-line summary: parameters, paper FLOPs and true FLOPs.
    public var summary: String {
        "params \(NetworkCost.grouped(parameterCount)), FLOPs \(NetworkCost.giga(flops(.paper))) (paper, ConvT on "
            + "the output grid), \(NetworkCost.giga(flops(.trueMultiplies))) (true multiplies)"
    }
}

/// Spatial bookkeeping for cost walks: output sizes of convolutions and friends, with clear errors.
struct ShapeWalker {
    var layers: [ConvLayerShape] = []

    /// Appends a convolution and returns its output size.
    mutating func conv(_ name: String, _ cIn: Int, _ cOut: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                       dilation: Int = 1, bias: Bool = true, at size: (h: Int, w: Int)) throws -> (h: Int, w: Int) {
        let span = dilation * (kernel - 1) + 1
        let h = (size.h + 2 * padding - span) / stride + 1
        let w = (size.w + 2 * padding - span) / stride + 1
        guard size.h + 2 * padding >= span, size.w + 2 * padding >= span else {
            throw ModelError.inputTooSmall(layer: name, height: size.h, width: size.w)
        }
        layers.append(ConvLayerShape(name: name, kind: .convolution, inChannels: cIn, outChannels: cOut,
                                     kernelHeight: kernel, kernelWidth: kernel, hasBias: bias,
                                     inputHeight: size.h, inputWidth: size.w, outputHeight: h, outputWidth: w))
        return (h, w)
    }

    /// Appends a transposed convolution and returns its output size.
    mutating func convTranspose(_ name: String, _ cIn: Int, _ cOut: Int, kernel: Int, stride: Int, padding: Int,
                                outputPadding: Int = 0, at size: (h: Int, w: Int)) throws -> (h: Int, w: Int) {
        let h = (size.h - 1) * stride - 2 * padding + kernel + outputPadding
        let w = (size.w - 1) * stride - 2 * padding + kernel + outputPadding
        guard size.h > 0, size.w > 0, h > 0, w > 0 else {
            throw ModelError.inputTooSmall(layer: name, height: size.h, width: size.w)
        }
        layers.append(ConvLayerShape(name: name, kind: .transposedConvolution, inChannels: cIn, outChannels: cOut,
                                     kernelHeight: kernel, kernelWidth: kernel, hasBias: true,
                                     inputHeight: size.h, inputWidth: size.w, outputHeight: h, outputWidth: w))
        return (h, w)
    }

    var cost: NetworkCost { NetworkCost(layers: layers) }
}
