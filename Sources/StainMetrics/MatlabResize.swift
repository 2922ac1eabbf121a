import Foundation

/// MATLAB `imresize` with the bicubic kernel (a = −0.5), antialiasing when shrinking and symmetric edge
/// handling, as basicsr 1.4.2 `basicsr/utils/matlab_functions.py::imresize` re-implements it. NIQE uses it for its
/// half-scale features.
public enum MatlabResize {
    /// Resizes a single-channel row-major plane by `scale`; the output is ⌈height·scale⌉ × ⌈width·scale⌉.
    public static func resize(_ plane: [Double], width: Int, height: Int, scale: Double,
                              antialiasing: Bool = true) throws -> (values: [Double], width: Int, height: Int) {
        guard width > 0, height > 0, plane.count == width * height else {
            throw MetricError.invalidImage("plane of \(plane.count) values does not match \(width)×\(height)")
        }
        guard scale > 0, scale.isFinite else { throw MetricError.invalidParameter("resize scale \(scale)") }
        let outH = Int((Double(height) * scale).rounded(.up)), outW = Int((Double(width) * scale).rounded(.up))
        let rowsTaps = contributions(inLength: height, outLength: outH, scale: scale, antialiasing: antialiasing)
        let colsTaps = contributions(inLength: width, outLength: outW, scale: scale, antialiasing: antialiasing)
        // Along H first, then along W (basicsr's order).
        var mid = [Double](repeating: 0, count: outH * width)
        for (oy, taps) in rowsTaps.enumerated() {
            for (iy, wgt) in taps {
                let src = iy * width, dst = oy * width
                for x in 0..<width { mid[dst + x] += wgt * plane[src + x] }
            }
        }
        var out = [Double](repeating: 0, count: outH * outW)
        for oy in 0..<outH {
            for (ox, taps) in colsTaps.enumerated() {
                var s = 0.0
                for (ix, wgt) in taps { s += wgt * mid[oy * width + ix] }
                out[oy * outW + ox] = s
            }
        }
        return (out, outW, outH)
    }

    /// MATLAB's cubic kernel with a = −0.5.
    static func cubic(_ x: Double) -> Double {
        let ax = abs(x), ax2 = ax * ax, ax3 = ax2 * ax
        if ax <= 1 { return 1.5 * ax3 - 2.5 * ax2 + 1 }
        if ax <= 2 { return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2 }
        return 0
    }

    /// For each output index, the (input index, weight) pairs, with input indices mirrored symmetrically into
    /// 0..<inLength and zero weights dropped.
    static func contributions(inLength: Int, outLength: Int, scale: Double,
                              antialiasing: Bool) -> [[(Int, Double)]] {
        let shrinkAA = scale < 1 && antialiasing
        let kernelWidth = shrinkAA ? 4 / scale : 4
        let p = Int(kernelWidth.rounded(.up)) + 2
        return (1...outLength).map { x -> [(Int, Double)] in
            let u = Double(x) / scale + 0.5 * (1 - 1 / scale)
            let left = (u - kernelWidth / 2).rounded(.down)
            var taps = [(Int, Double)]()
            var sum = 0.0
            for j in 0..<p {
                let index = left + Double(j)
                let w = shrinkAA ? scale * cubic((u - index) * scale) : cubic(u - index)
                taps.append((mirror(Int(index) - 1, inLength), w))
                sum += w
            }
            return taps.filter { $0.1 != 0 }.map { ($0.0, $0.1 / sum) }
        }
    }

    /// Symmetric (edge-repeating) reflection of a 0-based index into 0..<n.
    static func mirror(_ i: Int, _ n: Int) -> Int {
        var i = i
        let period = 2 * n
        i = ((i % period) + period) % period
        return i < n ? i : period - 1 - i
    }
}
