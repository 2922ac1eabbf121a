import Foundation
import NeuralKernels

/// torchvision's `BasicConv2d` (conv without bias → BatchNorm(eps 0.001, eval) → ReLU), with the batch norm folded
/// into the convolution's weight and bias when loaded.
struct InceptionConv: Sendable {
    let weight: Tensor
    let bias: Tensor
    let stride: Int
    /// Zero padding (rows, columns); asymmetric kernels such as 1×7 pad one axis only.
    let padding: (Int, Int)

    /// Reads `<name>.conv.weight` and `<name>.bn.{weight,bias,running_mean,running_var}` and folds them.
    init(_ dict: StateDict, _ name: String, _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int),
         stride: Int = 1, padding: (Int, Int) = (0, 0)) throws {
        let w = try InceptionWeights.tensor(dict, "\(name).conv.weight", [outChannels, inChannels, kernel.0, kernel.1])
        let gamma = try InceptionWeights.tensor(dict, "\(name).bn.weight", [outChannels]).scalars
        let beta = try InceptionWeights.tensor(dict, "\(name).bn.bias", [outChannels]).scalars
        let mean = try InceptionWeights.tensor(dict, "\(name).bn.running_mean", [outChannels]).scalars
        let variance = try InceptionWeights.tensor(dict, "\(name).bn.running_var", [outChannels]).scalars
        var folded = w.scalars
        var b = [Float](repeating: 0, count: outChannels)
        let per = inChannels * kernel.0 * kernel.1
        folded.withUnsafeMutableBufferPointer { fw in
            for o in 0..<outChannels {
                let s = Double(gamma[o]) / (Double(variance[o]) + 0.001).squareRoot()
                for i in (o &* per)..<((o &+ 1) &* per) { fw[i] = Float(Double(fw[i]) * s) }
                b[o] = Float(Double(beta[o]) - Double(mean[o]) * s)
            }
        }
        weight = try Tensor(shape: w.shape, scalars: folded)
        bias = try Tensor(shape: [outChannels], scalars: b)
        self.stride = stride
        self.padding = padding
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        if padding.0 == padding.1 {
            return Kernels.relu(try Kernels.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding.0))
        }
        let padded = try InceptionPooling.zeroPad(x, rows: padding.0, columns: padding.1)
        return Kernels.relu(try Kernels.conv2d(padded, weight: weight, bias: bias, stride: stride))
    }
}

/// The pooling variants Inception needs beyond NeuralKernels' max-pool.
enum InceptionPooling {
    /// `F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)`.
    static func averagePool3x3(_ x: Tensor) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("averagePool3x3")
        var y = Tensor(uninitializedShape: [n, c, h, w])
        x.withUnsafePointer { src in
            y.withUnsafeMutableBufferPointer { dst in
                for p in 0..<(n &* c) {
                    let sp = src + p &* h &* w
                    for oy in 0..<h {
                        let y0 = max(oy &- 1, 0), y1 = min(oy &+ 1, h &- 1)
                        for ox in 0..<w {
                            let x0 = max(ox &- 1, 0), x1 = min(ox &+ 1, w &- 1)
                            var s: Float = 0
                            for yy in y0...y1 {
                                for xx in x0...x1 { s += sp[yy &* w &+ xx] }
                            }
                            dst[p &* h &* w &+ oy &* w &+ ox] = s / Float((y1 &- y0 &+ 1) &* (x1 &- x0 &+ 1))
                        }
                    }
                }
            }
        }
        return y
    }

    /// Zero padding of `rows` above and below and `columns` left and right.
    static func zeroPad(_ x: Tensor, rows: Int, columns: Int) throws -> Tensor {
        let (n, c, h, w) = try x.nchw("zeroPad")
        let oh = h + 2 * rows, ow = w + 2 * columns
        var y = Tensor(zeros: [n, c, oh, ow])
        x.withUnsafePointer { src in
            y.withUnsafeMutablePointer { dst in
                for p in 0..<(n &* c) {
                    for row in 0..<h {
                        let s = src + (p &* h &* w &+ row &* w)
                        let d = dst + (p &* oh &* ow &+ (row &+ rows) &* ow &+ columns)
                        d.update(from: s, count: w)
                    }
                }
            }
        }
        return y
    }
}

/// Where the FID Inception-v3 weights come from, and the errors when they are missing.
public enum InceptionWeights: PretrainedWeights {
    public static let displayName = "FID Inception-v3"
    public static let environmentVariable = "STAINKIT_FID_INCEPTION_WEIGHTS"
    public static let howToGet = """
        create it once with `python scripts/convert_weights.py fid-inception fid_inception_v3.safetensors` from \
        pytorch-fid's pt_inception-2015-12-05-6726825d.pth (downloaded by the script, or pass --pth PATH), then pass \
        its path or set \(environmentVariable)
        """
}
