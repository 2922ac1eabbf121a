/// Winograd F(4×4, 3×3) for 3×3 stride-1 convolutions (Lavin & Gray 2016, points 0, ±1, ±2, ∞):
/// Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A per 6×6 input tile, with the elementwise products done as 36 GEMMs
/// M_p[O, T] = U_p[O, C] · V_p[C, T] over a chunk of T tiles.

/// G (6×3) of F(4×4, 3×3).
private let winogradG: [[Float]] = [
    [1.0 / 4, 0, 0],
    [-1.0 / 6, -1.0 / 6, -1.0 / 6],
    [-1.0 / 6, 1.0 / 6, -1.0 / 6],
    [1.0 / 24, 1.0 / 12, 1.0 / 6],
    [1.0 / 24, -1.0 / 12, 1.0 / 6],
    [0, 0, 1],
]

/// Transformed weights U [36, O, C] of OIHW 3×3 weights (cached on the weight's storage until it changes).
func winogradWeights(_ weight: Tensor, o: Int, c: Int) -> Tensor {
    weight.storage.cached("winograd-f43") {
        // U[36, O·C] = GG · Wᵀ with W = [O·C, 9].
        var u = Tensor(uninitializedShape: [36, o, c])
        winogradGG.withUnsafePointer { gg in
            weight.withUnsafePointer { wp in
                u.withUnsafeMutablePointer { up in
                    sgemm(transB: true, m: 36, n: o &* c, k: 9, a: gg, lda: 9, b: wp, ldb: 9, c: up, ldc: o &* c)
                }
            }
        }
        return u
    }
}

/// (G⊗G)[36, 9]: maps a 3×3 kernel to its 36 Winograd-domain values; GG[p = 6i + j][k = 3a + b] = G[i][a]·G[j][b].
private let winogradGG: Tensor = {
    var gg = Tensor(uninitializedShape: [36, 9])
    gg.withUnsafeMutableBufferPointer { d in
        for i in 0..<6 { for j in 0..<6 { for a in 0..<3 { for b in 0..<3 {
            d[(i * 6 + j) * 9 + a * 3 + b] = winogradG[i][a] * winogradG[j][b]
        } } } }
    }
    return gg
}()

/// Weight gradient of a 3×3 stride-1 convolution of one image through Winograd, added into dw [O, C, 3, 3]:
/// dU_p = dM_p · V_pᵀ with dM = A·dY·Aᵀ per tile (the adjoint of the output transform), then dW = (G⊗G)ᵀ · dU.
func winogradBackwardWeight(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                            dw: UnsafeMutablePointer<Float>, budget floats: Int = scratchBudget) {
    let oc = o &* g.c
    withScratch(36 &* oc) { du in
        forEachTileChunk(g, outChannels: o, budget: floats) { tileRows, tilesW, v, dm in
            let t = tileRows.count &* tilesW
            winogradInputTransform(g, x: x, tileRows: tileRows, tilesW: tilesW, v: v)
            winogradOutputTransformAdjoint(g, outChannels: o, dy: dy, tileRows: tileRows, tilesW: tilesW, dm: dm)
            let beta: Float = tileRows.lowerBound == 0 ? 0 : 1
            parallelBLASCalls(36) { p in
                sgemm(transB: true, m: o, n: g.c, k: t, a: dm + p &* o &* t, lda: t, b: v + p &* g.c &* t,
                      ldb: t, beta: beta, c: du + p &* oc, ldc: g.c)
            }
        }
        winogradGG.withUnsafePointer { gg in
            sgemm(transA: true, m: oc, n: 9, k: 36, a: du, lda: oc, b: gg, ldb: 9, beta: 1, c: dw, ldc: 9)
        }
    }
}

/// dM[p, o, tile] = (A · dY · Aᵀ)[p] for each 4×4 output tile dY of dy (zeros beyond the output border).
/// Per channel and tile row: the vertical transform runs along whole rows (4 rows → 6), then the horizontal one
/// per tile, writing each of the 36 planes contiguously over the row's tiles (as the input transform does).
private func winogradOutputTransformAdjoint(_ g: ConvGeometry, outChannels o: Int, dy: UnsafePointer<Float>,
                                            tileRows: Range<Int>, tilesW tw: Int, dm: UnsafeMutablePointer<Float>) {
    let t = tileRows.count &* tw
    let pStride = o &* t
    let len = 4 &* tw
    let copy = min(len, g.ow)
    parallelChunks(o, costPerItem: 36 &* t) { orange in
        withScratch(10 &* len) { scratch in
            let rows = scratch, tr = scratch + 4 &* len   // 4 zero-padded dy rows, then their 6 transformed rows
            for oc in orange {
                let plane = dy + oc &* g.oh &* g.ow
                for ty in tileRows {
                    for r in 0..<4 {
                        let dst = rows + r &* len
                        let oy = 4 &* ty &+ r
                        if oy >= g.oh { dst.update(repeating: 0, count: len); continue }
                        dst.update(from: plane + oy &* g.ow, count: copy)
                        if copy < len { (dst + copy).update(repeating: 0, count: len &- copy) }
                    }
                    // Vertical A along the 4 rows.
                    let v0 = rows, v1 = rows + len, v2 = rows + 2 &* len, v3 = rows + 3 &* len
                    let t0 = tr, t1 = tr + len, t2 = tr + 2 &* len, t3 = tr + 3 &* len, t4 = tr + 4 &* len
                    let t5 = tr + 5 &* len
                    for i in 0..<len {
                        let a0 = v0[i], a1 = v1[i], a2 = v2[i], a3 = v3[i]
                        let even = a0 + a2, odd = a1 + a3
                        t0[i] = a0
                        t1[i] = even + odd
                        t2[i] = even - odd
                        let even4 = a0 + 4 * a2, odd4 = 2 * a1 + 8 * a3
                        t3[i] = even4 + odd4
                        t4[i] = even4 - odd4
                        t5[i] = a3
                    }
                    // Horizontal A per tile, written contiguously over the row's tiles.
                    let base = oc &* t &+ (ty &- tileRows.lowerBound) &* tw
                    for i in 0..<6 {
                        let src = tr + i &* len
                        let out = dm + (i &* 6) &* pStride + base
                        for tx in 0..<tw {
                            let q = src + 4 &* tx
                            let b0 = q[0], b1 = q[1], b2 = q[2], b3 = q[3]
                            let even = b0 + b2, odd = b1 + b3
                            let even4 = b0 + 4 * b2, odd4 = 2 * b1 + 8 * b3
                            out[tx] = b0
                            out[pStride &+ tx] = even + odd
                            out[2 &* pStride &+ tx] = even - odd
                            out[3 &* pStride &+ tx] = even4 + odd4
                            out[4 &* pStride &+ tx] = even4 - odd4
                            out[5 &* pStride &+ tx] = b3
                        }
                    }
                }
            }
        }
    }
}

/// One image: x [C, H, W] → y [O, oh, ow] for a 3×3 stride-1 convolution with zero padding (ph, pw).
func winogradForward(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, u: UnsafePointer<Float>,
                     bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>, budget floats: Int = scratchBudget) {
    forEachTileChunk(g, outChannels: o, budget: floats) { tileRows, tilesW, v, m in
        let t = tileRows.count &* tilesW
        winogradInputTransform(g, x: x, tileRows: tileRows, tilesW: tilesW, v: v)
        parallelBLASCalls(36) { p in
            sgemm(m: o, n: t, k: g.c, a: u + p &* o &* g.c, lda: g.c, b: v + p &* g.c &* t, ldb: t,
                  c: m + p &* o &* t, ldc: t)
        }
        winogradOutputTransform(g, outChannels: o, m: m, tileRows: tileRows, tilesW: tilesW, bias: bias, y: y)
    }
}

/// Calls `body` for consecutive chunks of rows of 4×4 output tiles (`tilesW` tiles a row), with scratch for the
/// chunk's transformed input V [36, C, T] and its transform-domain product [36, O, T] (T tiles), reused by every
/// chunk: the chunking the forward pass and the weight gradient share, so that a large image never needs more
/// than about `budget` floats of transform buffers (but always at least one row of tiles).
private func forEachTileChunk(_ g: ConvGeometry, outChannels o: Int, budget floats: Int,
                              _ body: (_ tileRows: Range<Int>, _ tilesW: Int, _ v: UnsafeMutablePointer<Float>,
                                       _ m: UnsafeMutablePointer<Float>) -> Void) {
    let tilesH = (g.oh &+ 3) / 4, tilesW = (g.ow &+ 3) / 4
    let budget = max(tilesW, floats / (36 &* max(g.c, o)))
    let chunkRows = max(1, min(tilesH, budget / tilesW))
    let maxT = chunkRows &* tilesW
    withScratch(36 &* g.c &* maxT) { v in
        withScratch(36 &* o &* maxT) { m in
            var ty0 = 0
            while ty0 < tilesH {
                let ty1 = min(tilesH, ty0 &+ chunkRows)
                body(ty0..<ty1, tilesW, v, m)
                ty0 = ty1
            }
        }
    }
}

/// A 3×3 stride-1 convolution with dilation d and zero padding p (p a multiple of d): output pixels with
/// (row mod d, col mod d) = (a, b) depend only on input pixels of the same phase, so each of the d² phases is an
/// undilated 3×3 convolution with padding q = p/d on a sub-image. The sub-images are stacked into one tall mosaic,
/// each framed by q zero rows above and below (so no 3×3 window mixes two phases), and run as one Winograd
/// convolution (one set of 36 GEMMs with all phases' tiles); the two rows per seam are discarded.
func dilatedWinogradForward(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, u: UnsafePointer<Float>,
                            bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
    let d = g.dh, q = g.ph / d
    let hp0 = (g.h &+ d &- 1) / d, wp0 = (g.w &+ d &- 1) / d      // largest phase sizes (phase 0)
    let block = hp0 &+ 2 &* q                                      // mosaic rows per phase, framing included
    let phases = d &* d
    let mh = block &* phases, mw = wp0
    guard let mg = try? ConvGeometry(op: "conv2d", c: g.c, h: mh, w: mw, kh: 3, kw: 3, stride: (1, 1),
                                     padding: (0, g.pw / d), dilation: (1, 1)) else { return }
    withScratch(g.c &* mh &* mw) { xs in
        withScratch(o &* mg.oh &* mg.ow) { ys in
            xs.update(repeating: 0, count: g.c &* mh &* mw)
            for k in 0..<phases {
                let a = k / d, b = k % d
                let hp = (g.h &- a &+ d &- 1) / d, wp = (g.w &- b &+ d &- 1) / d
                for c in 0..<g.c {
                    let src = x + c &* g.h &* g.w
                    let dst = xs + (c &* mh &+ k &* block &+ q) &* mw
                    for i in 0..<hp { for j in 0..<wp { dst[i &* mw &+ j] = src[(i &* d &+ a) &* g.w &+ j &* d &+ b] } }
                }
            }
            winogradForward(mg, outChannels: o, x: xs, u: u, bias: bias, y: ys)
            // Mosaic output row k·block + i is phase k's output row i (i < ohp); columns likewise.
            for k in 0..<phases {
                let a = k / d, b = k % d
                let ohp = (g.oh &- a &+ d &- 1) / d, owp = (g.ow &- b &+ d &- 1) / d
                for oc in 0..<o {
                    let src = ys + (oc &* mg.oh &+ k &* block) &* mg.ow, dst = y + oc &* g.oh &* g.ow
                    for i in 0..<ohp { for j in 0..<owp { dst[(i &* d &+ a) &* g.ow &+ j &* d &+ b] = src[i &* mg.ow &+ j] } }
                }
            }
        }
    }
}

/// V[p, c, tile] = (Bᵀ d B)[p] for every 6×6 input tile d of the tile rows `tileRows`.
private func winogradInputTransform(_ g: ConvGeometry, x: UnsafePointer<Float>, tileRows: Range<Int>, tilesW tw: Int,
                                    v: UnsafeMutablePointer<Float>) {
    let t = tileRows.count &* tw
    let len = 4 &* tw &+ 2
    let cStride = t  // V layout [36][C][T]
    let pStride = g.c &* t
    parallelChunks(g.c, costPerItem: 36 &* t) { cr in
        withScratch(12 &* len) { scratch in
            let rows = scratch, tr = scratch + 6 &* len
            for c in cr {
                let plane = x + c &* g.h &* g.w
                for ty in tileRows {
                    // Six zero-padded input rows of this tile row.
                    for j in 0..<6 {
                        let dst = rows + j &* len
                        var iy = 4 &* ty &- g.ph &+ j
                        if g.reflect && iy < 0 { iy = -iy }
                        if g.reflect && iy >= g.h && iy < g.h &+ g.ph { iy = 2 &* (g.h &- 1) &- iy }
                        if iy < 0 || iy >= g.h { dst.update(repeating: 0, count: len); continue }
                        let src = plane + iy &* g.w
                        let lo = min(len, g.pw), hi = min(len, g.w &+ g.pw)
                        if hi > lo { (dst + lo).update(from: src + (lo &- g.pw), count: hi &- lo) }
                        if g.reflect {
                            for xx in 0..<lo { dst[xx] = src[g.pw &- xx] }
                            var xx = hi
                            while xx < len {
                                let ix = xx &- g.pw
                                dst[xx] = ix < g.w &+ g.pw ? src[2 &* (g.w &- 1) &- ix] : 0
                                xx &+= 1
                            }
                        } else {
                            if lo > 0 { dst.update(repeating: 0, count: lo) }
                            if hi < len { (dst + hi).update(repeating: 0, count: len &- hi) }
                        }
                    }
                    // Vertical Bᵀ along the 6 rows.
                    let d0 = rows, d1 = rows + len, d2 = rows + 2 &* len
                    let d3 = rows + 3 &* len, d4 = rows + 4 &* len, d5 = rows + 5 &* len
                    let t0 = tr, t1 = tr + len, t2 = tr + 2 &* len, t3 = tr + 3 &* len, t4 = tr + 4 &* len
                    let t5 = tr + 5 &* len
                    for i in 0..<len {
                        let a1 = d1[i], a2 = d2[i], a3 = d3[i], a4 = d4[i]
                        t0[i] = 4 * d0[i] - 5 * a2 + a4
                        t1[i] = -4 * (a1 + a2) + a3 + a4
                        t2[i] = 4 * (a1 - a2) - a3 + a4
                        t3[i] = 2 * (a3 - a1) - a2 + a4
                        t4[i] = 2 * (a1 - a3) - a2 + a4
                        t5[i] = 4 * a1 - 5 * a3 + d5[i]
                    }
                    // Horizontal Bᵀ for each tile, written contiguously over tiles.
                    let base = (ty &- tileRows.lowerBound) &* tw
                    for i in 0..<6 {
                        let src = tr + i &* len
                        let out = v + (i &* 6) &* pStride + c &* cStride + base
                        for tx in 0..<tw {
                            let s = src + 4 &* tx
                            let b0 = s[0], b1 = s[1], b2 = s[2], b3 = s[3], b4 = s[4], b5 = s[5]
                            out[tx] = 4 * b0 - 5 * b2 + b4
                            out[pStride &+ tx] = -4 * (b1 + b2) + b3 + b4
                            out[2 &* pStride &+ tx] = 4 * (b1 - b2) - b3 + b4
                            out[3 &* pStride &+ tx] = 2 * (b3 - b1) - b2 + b4
                            out[4 &* pStride &+ tx] = 2 * (b1 - b3) - b2 + b4
                            out[5 &* pStride &+ tx] = 4 * b1 - 5 * b3 + b5
                        }
                    }
                }
            }
        }
    }
}

/// y[o, 4ty + r, 4tx + s] = (Aᵀ M A)[r, s] + bias[o] for the tile rows `tileRows`, clipped at the output border.
private func winogradOutputTransform(_ g: ConvGeometry, outChannels o: Int, m: UnsafePointer<Float>,
                                     tileRows: Range<Int>, tilesW tw: Int, bias: UnsafePointer<Float>?,
                                     y: UnsafeMutablePointer<Float>) {
    let t = tileRows.count &* tw
    let pStride = o &* t
    parallelChunks(o, costPerItem: 36 &* t) { orange in
        withScratch(24 &* tw &+ 4 &* tw) { scratch in
            let s = scratch, q = scratch + 24 &* tw  // s[i][col][tx], q[col][tx]
            for oc in orange {
                let b = bias?[oc] ?? 0
                for ty in tileRows {
                    let base = oc &* t &+ (ty &- tileRows.lowerBound) &* tw
                    // Horizontal Aᵀ: for each row i of the 6×6 tile, 4 columns.
                    for i in 0..<6 {
                        let p0 = m + (i &* 6) &* pStride + base
                        let s0 = s + (i &* 4) &* tw, s1 = s0 + tw, s2 = s0 + 2 &* tw, s3 = s0 + 3 &* tw
                        for tx in 0..<tw {
                            let m0 = p0[tx], m1 = p0[pStride &+ tx], m2 = p0[2 &* pStride &+ tx]
                            let m3 = p0[3 &* pStride &+ tx], m4 = p0[4 &* pStride &+ tx]
                            let m5 = p0[5 &* pStride &+ tx]
                            let a = m1 + m2, bb = m1 - m2, c = m3 + m4, d = m3 - m4
                            s0[tx] = m0 + a + c
                            s1[tx] = bb + 2 * d
                            s2[tx] = a + 4 * c
                            s3[tx] = bb + 8 * d + m5
                        }
                    }
                    // Vertical Aᵀ, then interleave the 4 columns into the output rows.
                    for r in 0..<4 {
                        let oy = 4 &* ty &+ r
                        if oy >= g.oh { break }
                        for col in 0..<4 {
                            let v0 = s + col &* tw, v1 = v0 + 4 &* tw, v2 = v0 + 8 &* tw
                            let v3 = v0 + 12 &* tw, v4 = v0 + 16 &* tw, v5 = v0 + 20 &* tw
                            let dst = q + col &* tw
                            switch r {
                            case 0: for tx in 0..<tw { dst[tx] = v0[tx] + v1[tx] + v2[tx] + v3[tx] + v4[tx] + b }
                            case 1: for tx in 0..<tw { dst[tx] = v1[tx] - v2[tx] + 2 * (v3[tx] - v4[tx]) + b }
                            case 2: for tx in 0..<tw { dst[tx] = v1[tx] + v2[tx] + 4 * (v3[tx] + v4[tx]) + b }
                            default:
                                for tx in 0..<tw { dst[tx] = v1[tx] - v2[tx] + 8 * (v3[tx] - v4[tx]) + v5[tx] + b }
                            }
                        }
                        let row = y + (oc &* g.oh &+ oy) &* g.ow
                        let full = g.ow / 4
                        for tx in 0..<full {
                            let d = row + 4 &* tx
                            d[0] = q[tx]; d[1] = q[tw &+ tx]; d[2] = q[2 &* tw &+ tx]; d[3] = q[3 &* tw &+ tx]
                        }
                        var ox = full &* 4
                        while ox < g.ow { row[ox] = q[(ox & 3) &* tw &+ (ox >> 2)]; ox &+= 1 }
                    }
                }
            }
        }
    }
}
