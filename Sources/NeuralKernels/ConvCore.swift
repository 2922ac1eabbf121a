/// Floats of scratch one convolution chunk aims for (16 MB); tests pass smaller budgets to exercise chunking.
let scratchBudget = 1 << 22

/// Convolution engines on raw buffers for one image; the public ops in Conv2d.swift / ConvTranspose2d.swift
/// check shapes and loop over the batch.

/// y[o, ·] = bias[o] + y[o, ·] over `planes` planes of `size` elements (bias nil: no-op).
func addBias(_ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>?, planes: Int, size: Int) {
    guard let bias else { return }
    parallelChunks(planes, costPerItem: size) { r in
        for o in r {
            let b = bias[o], p = y + o &* size
            for i in 0..<size { p[i] += b }
        }
    }
}

/// y[O, oh·ow] = W[O, c·kh·kw] · im2col(x) (+ bias), unfolded in row chunks.
func convForwardGEMM(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                     bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>, budget: Int = scratchBudget) {
    let plane = g.oh &* g.ow
    if g.isPointwise {
        sgemm(m: o, n: plane, k: g.c, a: w, lda: g.c, b: x, ldb: plane, c: y, ldc: plane)
    } else {
        forEachRowChunk(g, budget: budget) { rows, col in
            im2col(g, x, rows: rows, col)
            let n = rows.count &* g.ow
            sgemm(m: o, n: n, k: g.patch, a: w, lda: g.patch, b: col, ldb: n, c: y + rows.lowerBound &* g.ow,
                  ldc: plane)
        }
    }
    addBias(y, bias, planes: o, size: plane)
}

/// Stride-1 convolution for layers with few output channels (e.g. 64→3, 7×7): one GEMM
/// Z[(o,ky,kx), pixels] = W'[(o,ky,kx), c] · x[c, pixels], then shifted sums of Z's planes into y.
func convForwardThin(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, wPermuted: UnsafePointer<Float>,
                     bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>, budget: Int = scratchBudget) {
    let kk = g.kh &* g.kw, m = o &* kk
    let span = (g.kh &- 1) &* g.dh
    let chunk = max(1, min(g.oh, budget / max(1, m &* g.w) - span))
    withScratch(m &* (chunk &+ span) &* g.w) { z in
        var r0 = 0
        while r0 < g.oh {
            let r1 = min(g.oh, r0 &+ chunk)
            let inLo = max(0, r0 &- g.ph), inHi = min(g.h, r1 &- g.ph &+ span)
            let n = max(0, inHi &- inLo) &* g.w
            if n > 0 {
                sgemm(m: m, n: n, k: g.c, a: wPermuted, lda: g.c, b: x + inLo &* g.w, ldb: g.h &* g.w,
                      c: z, ldc: n)
            }
            parallelChunks(o &* (r1 &- r0), costPerItem: kk &* g.ow) { range in
                for item in range {
                    let oc = item / (r1 &- r0), oy = r0 &+ item % (r1 &- r0)
                    let dst = y + (oc &* g.oh &+ oy) &* g.ow
                    dst.update(repeating: bias?[oc] ?? 0, count: g.ow)
                    for ky in 0..<g.kh {
                        let iy = oy &- g.ph &+ ky &* g.dh
                        if iy < inLo || iy >= inHi { continue }
                        for kx in 0..<g.kw {
                            let valid = g.validColumns(kx: kx)
                            if valid.isEmpty { continue }
                            let tap: Int = oc &* kk &+ ky &* g.kw &+ kx
                            let offset: Int = tap &* n &+ (iy &- inLo) &* g.w &+ (kx &* g.dw &- g.pw)
                            let src = z + offset
                            for ox in valid { dst[ox] += src[ox] }
                        }
                    }
                }
            }
            r0 = r1
        }
    }
}

/// dx[c, h, w] = col2im(Wᵀ · dy), overwriting dx. (Also the forward pass of a transposed convolution.)
func convBackwardData(_ g: ConvGeometry, outChannels o: Int, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                      dx: UnsafeMutablePointer<Float>, budget: Int = scratchBudget) {
    let plane = g.oh &* g.ow
    if g.isPointwise {
        sgemm(transA: true, m: g.c, n: plane, k: o, a: w, lda: g.c, b: dy, ldb: plane, c: dx, ldc: plane)
        return
    }
    dx.update(repeating: 0, count: g.c &* g.h &* g.w)
    forEachRowChunk(g, budget: budget) { rows, col in
        let n = rows.count &* g.ow
        sgemm(transA: true, m: g.patch, n: n, k: o, a: w, lda: g.patch, b: dy + rows.lowerBound &* g.ow, ldb: plane,
              c: col, ldc: n)
        col2imAdd(g, col, rows: rows, dx)
    }
}

/// dw[O, c·kh·kw] += dy[O, oh·ow] · im2col(x)ᵀ.
func convBackwardWeight(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                        dw: UnsafeMutablePointer<Float>, budget: Int = scratchBudget) {
    let plane = g.oh &* g.ow
    if g.isPointwise {
        sgemm(transB: true, m: o, n: g.c, k: plane, a: dy, lda: plane, b: x, ldb: plane, beta: 1, c: dw, ldc: g.c)
        return
    }
    forEachRowChunk(g, budget: budget) { rows, col in
        let n = rows.count &* g.ow
        im2col(g, x, rows: rows, col)
        sgemm(transB: true, m: o, n: g.patch, k: n, a: dy + rows.lowerBound &* g.ow, lda: plane, b: col, ldb: n,
              beta: 1, c: dw, ldc: g.patch)
    }
}

/// db[o] += Σ over the plane of dy[o, ·].
func accumulateBiasGrad(_ dy: UnsafePointer<Float>, planes: Int, size: Int, _ db: UnsafeMutablePointer<Float>) {
    for o in 0..<planes { db[o] += simdSum(dy + o &* size, size) }
}

/// Both gradients of a stride-1 convolution with few output channels (the thin path's geometry, e.g. 64→3, 7×7)
/// without im2col of the wide input: the output gradient is unfolded instead, onto the input grid,
/// D[(o, ky, kx), (y, x)] = dy[o, y + ph − ky·dh, x + pw − kx·dw] (zero outside dy), in chunks of input rows; then
/// dx[c, ·] = Σ_(o,t) W'[(o,t), c] · D[(o,t), ·] (overwriting dx) and dW'[(o,t), c] += D · x[c, ·]ᵀ, both GEMMs with
/// the long pixel dimension. `wPermuted` is the weight as [O·kh·kw, C] (`thinWeights`); dw is OIHW and added into.
func convBackwardThin(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                      wPermuted: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?,
                      dw: UnsafeMutablePointer<Float>?, budget: Int = scratchBudget) {
    let kk = g.kh &* g.kw, m = o &* kk
    let chunk = max(1, min(g.h, budget / max(1, m &* g.w)))
    withScratch(m &* chunk &* g.w) { d in
        withScratch(dw == nil ? 1 : m &* g.c) { dwp in
            if dw != nil { dwp.update(repeating: 0, count: m &* g.c) }
            var y0 = 0
            while y0 < g.h {
                let y1 = min(g.h, y0 &+ chunk)
                let n = (y1 &- y0) &* g.w
                parallelChunks(m, costPerItem: n) { range in
                    for row in range {
                        let oc = row / kk, t = row % kk, ky = t / g.kw, kx = t % g.kw
                        let dst = d + row &* n
                        let plane = dy + oc &* g.oh &* g.ow
                        // Input columns x with 0 ≤ ox = x + pw − kx·dw < ow.
                        let shift = g.pw &- kx &* g.dw
                        let xLo = max(0, -shift), xHi = min(g.w, g.ow &- shift)
                        for y in y0..<y1 {
                            let out = dst + (y &- y0) &* g.w
                            let oy = y &+ g.ph &- ky &* g.dh
                            if oy < 0 || oy >= g.oh || xHi <= xLo {
                                out.update(repeating: 0, count: g.w)
                                continue
                            }
                            if xLo > 0 { out.update(repeating: 0, count: xLo) }
                            (out + xLo).update(from: plane + (oy &* g.ow &+ xLo &+ shift), count: xHi &- xLo)
                            if xHi < g.w { (out + xHi).update(repeating: 0, count: g.w &- xHi) }
                        }
                    }
                }
                if let dx {
                    sgemm(transA: true, m: g.c, n: n, k: m, a: wPermuted, lda: g.c, b: d, ldb: n,
                          c: dx + y0 &* g.w, ldc: g.h &* g.w)
                }
                if dw != nil {
                    sgemm(transB: true, m: m, n: g.c, k: n, a: d, lda: n, b: x + y0 &* g.w, ldb: g.h &* g.w,
                          beta: 1, c: dwp, ldc: g.c)
                }
                y0 = y1
            }
            if let dw {
                for oc in 0..<o { for ic in 0..<g.c { for t in 0..<kk {
                    dw[(oc &* g.c &+ ic) &* kk &+ t] += dwp[(oc &* kk &+ t) &* g.c &+ ic]
                } } }
            }
        }
    }
}
