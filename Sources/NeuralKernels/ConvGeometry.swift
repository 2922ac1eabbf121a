/// Geometry of one 2-D convolution (cross-correlation) from an input plane stack [c, h, w]
/// to an output [·, oh, ow]: kernel kh×kw, stride, zero padding and dilation per axis.
public struct ConvGeometry: Sendable, Equatable {
    public var c, h, w: Int
    public var kh, kw: Int
    public var sh, sw: Int
    public var ph, pw: Int
    public var dh, dw: Int
    public var oh, ow: Int
    /// Padding by reflection instead of zeros (only the Winograd engine reads this; others get padded input).
    public var reflect = false

    /// Geometry with the output size computed the PyTorch way; throws when it would be empty.
    public init(op: String, c: Int, h: Int, w: Int, kh: Int, kw: Int, stride: (Int, Int), padding: (Int, Int),
                dilation: (Int, Int)) throws {
        guard kh > 0, kw > 0, stride.0 > 0, stride.1 > 0, dilation.0 > 0, dilation.1 > 0,
              padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError.invalidArgument(op: op, detail: "kernel \(kh)×\(kw), stride \(stride), "
                + "padding \(padding), dilation \(dilation): kernel/stride/dilation must be > 0, padding ≥ 0")
        }
        self.c = c; self.h = h; self.w = w; self.kh = kh; self.kw = kw
        sh = stride.0; sw = stride.1; ph = padding.0; pw = padding.1; dh = dilation.0; dw = dilation.1
        oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1
        ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1
        guard h + 2 * ph - dh * (kh - 1) - 1 >= 0, w + 2 * pw - dw * (kw - 1) - 1 >= 0, oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch(op: op, detail: "input \(h)×\(w) with padding \(padding) is smaller "
                + "than the dilated kernel \(dh * (kh - 1) + 1)×\(dw * (kw - 1) + 1)")
        }
    }

    /// Rows of the unfolded (im2col) matrix: c·kh·kw.
    var patch: Int { c &* kh &* kw }

    /// A 1×1, stride-1, unpadded convolution: its unfolded input is the input itself, so the GEMM engines skip
    /// the unfold (and its scratch buffer) and multiply the planes directly.
    var isPointwise: Bool { kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 }

    /// Output columns `ox` whose input column `ox·sw − pw + kx·dw` lies inside [0, w).
    @inline(__always)
    func validColumns(kx: Int) -> Range<Int> {
        let off = kx &* dw &- pw  // ix = ox*sw + off
        var lo = off >= 0 ? 0 : (-off + sw - 1) / sw
        var hi = (w - 1 - off) >= 0 ? (w - 1 - off) / sw + 1 : 0
        lo = min(lo, ow); hi = min(max(hi, lo), ow)
        return lo..<hi
    }
}

/// Unfolds output rows `rows` of one image x[c, h, w] into col[c·kh·kw, rows.count·ow] (zero padding).
func im2col(_ g: ConvGeometry, _ x: UnsafePointer<Float>, rows: Range<Int>, _ col: UnsafeMutablePointer<Float>) {
    let ncol = rows.count &* g.ow
    let kk = g.kh &* g.kw
    parallelChunks(g.c, costPerItem: kk &* ncol) { cr in
        for c in cr {
            let plane = x + c &* g.h &* g.w
            for ky in 0..<g.kh {
                for kx in 0..<g.kw {
                    let dstRow = col + ((c &* kk) &+ ky &* g.kw &+ kx) &* ncol
                    let valid = g.validColumns(kx: kx)
                    let off = kx &* g.dw &- g.pw
                    for oy in rows {
                        let dst = dstRow + (oy &- rows.lowerBound) &* g.ow
                        let iy = oy &* g.sh &- g.ph &+ ky &* g.dh
                        if iy < 0 || iy >= g.h || valid.isEmpty {
                            dst.update(repeating: 0, count: g.ow)
                            continue
                        }
                        if valid.lowerBound > 0 { dst.update(repeating: 0, count: valid.lowerBound) }
                        if valid.upperBound < g.ow {
                            (dst + valid.upperBound).update(repeating: 0, count: g.ow &- valid.upperBound)
                        }
                        let src = plane + iy &* g.w
                        if g.sw == 1 {
                            (dst + valid.lowerBound).update(from: src + (valid.lowerBound &+ off), count: valid.count)
                        } else {
                            for ox in valid { dst[ox] = src[ox &* g.sw &+ off] }
                        }
                    }
                }
            }
        }
    }
}

/// Folds col[c·kh·kw, rows.count·ow] back, adding into x[c, h, w] (the adjoint of `im2col`).
func col2imAdd(_ g: ConvGeometry, _ col: UnsafePointer<Float>, rows: Range<Int>, _ x: UnsafeMutablePointer<Float>) {
    let ncol = rows.count &* g.ow
    let kk = g.kh &* g.kw
    parallelChunks(g.c, costPerItem: kk &* ncol) { cr in
        for c in cr {
            let plane = x + c &* g.h &* g.w
            for ky in 0..<g.kh {
                for kx in 0..<g.kw {
                    let srcRow = col + ((c &* kk) &+ ky &* g.kw &+ kx) &* ncol
                    let valid = g.validColumns(kx: kx)
                    if valid.isEmpty { continue }
                    let off = kx &* g.dw &- g.pw
                    for oy in rows {
                        let iy = oy &* g.sh &- g.ph &+ ky &* g.dh
                        if iy < 0 || iy >= g.h { continue }
                        let src = srcRow + (oy &- rows.lowerBound) &* g.ow
                        let dst = plane + iy &* g.w
                        if g.sw == 1 {
                            let d = dst + off
                            for ox in valid { d[ox] += src[ox] }
                        } else {
                            for ox in valid { dst[ox &* g.sw &+ off] += src[ox] }
                        }
                    }
                }
            }
        }
    }
}

/// Rows per chunk so that a c·kh·kw × rows·ow unfold buffer stays near `budget` floats.
func rowsPerChunk(patch: Int, width: Int, rows: Int, budget: Int = scratchBudget) -> Int {
    max(1, min(rows, budget / max(1, patch &* width)))
}

/// Calls `body` for consecutive chunks of output rows, each with one scratch unfold buffer `col` of
/// c·kh·kw × rows·ow floats (reused by every chunk): the chunking the unfold-based engines (forward, data and weight
/// gradients) share, so that the unfold of a large image never needs more than about `budget` floats.
func forEachRowChunk(_ g: ConvGeometry, budget: Int,
                     _ body: (_ rows: Range<Int>, _ col: UnsafeMutablePointer<Float>) -> Void) {
    let chunk = rowsPerChunk(patch: g.patch, width: g.ow, rows: g.oh, budget: budget)
    withScratch(g.patch &* chunk &* g.ow) { col in
        var r0 = 0
        while r0 < g.oh {
            let r1 = min(g.oh, r0 &+ chunk)
            body(r0..<r1, col)
            r0 = r1
        }
    }
}
