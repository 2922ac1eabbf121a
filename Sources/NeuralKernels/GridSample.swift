/// Bilinear grid sampling with border padding and align_corners = true
/// (torch.nn.functional.grid_sample(mode='bilinear', padding_mode='border', align_corners=True)).
/// grid [N, Ho, Wo, 2] holds normalized (x, y) in [−1, 1].
extension Kernels {
    /// One clipped source coordinate: position, and 1 if inside the open border range (gradient passes) else 0.
    @inline(__always)
    static func borderCoordinate(_ g: Float, size: Int) -> (Float, Float) {
        let maxV = Float(size - 1)
        let v = (g + 1) * (maxV / 2)
        if v <= 0 { return (0, 0) }
        if v >= maxV { return (maxV, 0) }
        return (v, 1)
    }

    /// Where one grid entry samples: the top-left source pixel, the bilinear weights of its right and lower
    /// neighbours, whether those neighbours lie inside the image, and the border masks of the two coordinates.
    /// The forward pass and its gradient read the same four pixels with the same weights.
    struct SamplePoint {
        let x0, y0: Int
        let wx, wy: Float
        let x1ok, y1ok: Bool
        let mx, my: Float

        /// The sample of the normalized (x, y) at `grid[i]`, `grid[i + 1]` in a `w` × `h` image.
        @inline(__always)
        init(_ grid: UnsafePointer<Float>, _ i: Int, w: Int, h: Int) {
            let (ix, mx) = borderCoordinate(grid[i], size: w)
            let (iy, my) = borderCoordinate(grid[i &+ 1], size: h)
            let x0f = ix.rounded(.down), y0f = iy.rounded(.down)
            x0 = Int(x0f)
            y0 = Int(y0f)
            wx = ix - x0f
            wy = iy - y0f
            x1ok = x0 &+ 1 < w
            y1ok = y0 &+ 1 < h
            self.mx = mx
            self.my = my
        }
    }

    public static func gridSample(_ x: Tensor, grid: Tensor) throws -> Tensor {
        let (n, c, h, w, oh, ow) = try gridSampleShapes(x, grid)
        var y = Tensor(uninitializedShape: [n, c, oh, ow])
        x.withUnsafePointer { src in
            grid.withUnsafePointer { gp in
                y.withUnsafeMutablePointer { yp in
                    let dst = UncheckedBox(yp)
                    parallelChunks(n &* oh, costPerItem: ow &* c &* 4) { r in
                        for row in r {
                            let b = row / oh, oy = row % oh
                            for ox in 0..<ow {
                                let s = SamplePoint(gp, ((b &* oh &+ oy) &* ow &+ ox) &* 2, w: w, h: h)
                                let (x0, y0, wx, wy, x1ok, y1ok) = (s.x0, s.y0, s.wx, s.wy, s.x1ok, s.y1ok)
                                for ch in 0..<c {
                                    let sp = src + (b &* c &+ ch) &* h &* w
                                    let v00 = sp[y0 &* w &+ x0]
                                    let v01 = x1ok ? sp[y0 &* w &+ x0 &+ 1] : 0
                                    let v10 = y1ok ? sp[(y0 &+ 1) &* w &+ x0] : 0
                                    let v11 = (x1ok && y1ok) ? sp[(y0 &+ 1) &* w &+ x0 &+ 1] : 0
                                    let top = v00 * (1 - wx) + v01 * wx, bottom = v10 * (1 - wx) + v11 * wx
                                    dst.value[((b &* c &+ ch) &* oh &+ oy) &* ow &+ ox] = top * (1 - wy) + bottom * wy
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Gradients of `gridSample` w.r.t. the input image and the grid.
    public static func gridSampleBackward(gradOutput dy: Tensor, input x: Tensor, grid: Tensor,
                                          needInput: Bool = true) throws -> (input: Tensor?, grid: Tensor) {
        let (n, c, h, w, oh, ow) = try gridSampleShapes(x, grid)
        guard dy.shape == [n, c, oh, ow] else {
            throw TensorError.shapeMismatch(op: "gridSampleBackward", detail: "gradOutput \(dy.shape)")
        }
        var dx = Tensor(zeros: x.shape)
        var dgrid = Tensor(uninitializedShape: grid.shape)
        x.withUnsafePointer { src in
            grid.withUnsafePointer { gp in
                dy.withUnsafePointer { g in
                    dx.withUnsafeMutablePointer { dxp in
                        dgrid.withUnsafeMutablePointer { dgp in
                            for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow {
                                let gi = ((b &* oh &+ oy) &* ow &+ ox) &* 2
                                let s = SamplePoint(gp, gi, w: w, h: h)
                                let (x0, y0, wx, wy, x1ok, y1ok) = (s.x0, s.y0, s.wx, s.wy, s.x1ok, s.y1ok)
                                var gx: Float = 0, gy: Float = 0
                                for ch in 0..<c {
                                    let plane = (b &* c &+ ch) &* h &* w
                                    let sp = src + plane
                                    let go = g[((b &* c &+ ch) &* oh &+ oy) &* ow &+ ox]
                                    let i00 = y0 &* w &+ x0, i01 = i00 &+ 1, i10 = i00 &+ w, i11 = i10 &+ 1
                                    let v00 = sp[i00], v01 = x1ok ? sp[i01] : 0
                                    let v10 = y1ok ? sp[i10] : 0, v11 = (x1ok && y1ok) ? sp[i11] : 0
                                    gx += go * ((v01 - v00) * (1 - wy) + (v11 - v10) * wy)
                                    gy += go * ((v10 - v00) * (1 - wx) + (v11 - v01) * wx)
                                    if needInput {
                                        let d = dxp + plane
                                        d[i00] += go * (1 - wx) * (1 - wy)
                                        if x1ok { d[i01] += go * wx * (1 - wy) }
                                        if y1ok { d[i10] += go * (1 - wx) * wy }
                                        if x1ok && y1ok { d[i11] += go * wx * wy }
                                    }
                                }
                                dgp[gi] = gx * s.mx * (Float(w - 1) / 2)
                                dgp[gi &+ 1] = gy * s.my * (Float(h - 1) / 2)
                            } } }
                        }
                    }
                }
            }
        }
        return (needInput ? dx : nil, dgrid)
    }

    private static func gridSampleShapes(_ x: Tensor, _ grid: Tensor) throws -> (Int, Int, Int, Int, Int, Int) {
        let (n, c, h, w) = try x.nchw("gridSample")
        guard grid.rank == 4, grid.shape[0] == n, grid.shape[3] == 2 else {
            throw TensorError.shapeMismatch(op: "gridSample", detail: "grid \(grid.shape) for input \(x.shape), "
                + "expected [\(n), H, W, 2]")
        }
        return (n, c, h, w, grid.shape[1], grid.shape[2])
    }
}
