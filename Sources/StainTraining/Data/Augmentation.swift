import Foundation
import NeuralKernels

/// The paper code's training augmentation (docs/paper.md, "Data"): a small independent affine jitter per image
/// (torchvision `RandomAffine(degrees=1, translate=(0.02, 0.02), scale=(0.98, 1.02))`, nearest neighbour, fill 0),
/// then one of its 8 flip/rotate modes, then (StainKit's addition for scaled training) a square crop.
///
/// Every step works on an interleaved buffer of any element type, so the same transform can be applied to an
/// 8-bit image and to a cached float teacher output.
public struct Augmentation: Sendable, Equatable {
    /// The affine jitter: rotation in degrees, shift in pixels, scale factor.
    public struct Jitter: Sendable, Equatable {
        public var degrees: Double, dx: Int, dy: Int, scale: Double
        public static let identity = Jitter(degrees: 0, dx: 0, dy: 0, scale: 1)

        /// Draws the parameters like RandomAffine: angle U(−1, 1)°, shift round(U(−0.02, 0.02)·size), scale
        /// U(0.98, 1.02).
        public static func random(width: Int, height: Int, using rng: inout SeededGenerator) -> Jitter {
            let degrees = -1 + 2 * rng.unit()
            let maxDx = 0.02 * Double(width), maxDy = 0.02 * Double(height)
            let dx = Int((-maxDx + 2 * maxDx * rng.unit()).rounded())
            let dy = Int((-maxDy + 2 * maxDy * rng.unit()).rounded())
            let scale = 0.98 + 0.04 * rng.unit()
            return Jitter(degrees: degrees, dx: dx, dy: dy, scale: scale)
        }
    }

    public var jitter: Jitter
    /// The paper's mode m ∈ 0…7: m0 = m5 = identity; m1 = m7 = flip W; m2 = flip H; m3 = rot180;
    /// m4 = rot90 then flip H; m6 = rot90 (torch.rot90 over (H, W)).
    public var mode: Int
    /// Top-left corner of the square crop and its side (side 0: no crop).
    public var cropX: Int, cropY: Int, cropSide: Int

    public static let identity = Augmentation(jitter: .identity, mode: 0, cropX: 0, cropY: 0, cropSide: 0)

    /// Applies jitter, mode and crop to an interleaved `width`×`height`×`channels` buffer; `fill` is used where the
    /// jitter samples outside the image.
    public func apply<T: Sendable>(_ pixels: [T], width: Int, height: Int, channels: Int, fill: T) -> (pixels: [T], width: Int, height: Int) {
        var buffer = jitter == .identity ? pixels : Augmentation.affine(pixels, width, height, channels, jitter, fill)
        var w = width, h = height
        if cropSide > 0 {
            buffer = Augmentation.crop(buffer, w, channels, x: cropX, y: cropY, side: cropSide)
            w = cropSide; h = cropSide
        }
        let (out, ow, oh) = Augmentation.dihedral(buffer, w, h, channels, mode: mode)
        return (out, ow, oh)
    }

    /// Nearest-neighbour inverse mapping about the image centre: out(p) = in(c + R(−θ)(p − c − t)/s).
    static func affine<T>(_ src: [T], _ w: Int, _ h: Int, _ c: Int, _ j: Jitter, _ fill: T) -> [T] {
        var out = [T](repeating: fill, count: src.count)
        let theta = j.degrees * Double.pi / 180
        let cosT = cos(theta) / j.scale, sinT = sin(theta) / j.scale
        let cx = Double(w - 1) / 2, cy = Double(h - 1) / 2
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<h {
                    let py = Double(y) - cy - Double(j.dy)
                    for x in 0..<w {
                        let px = Double(x) - cx - Double(j.dx)
                        let sx = Int((cosT * px + sinT * py + cx).rounded())
                        let sy = Int((-sinT * px + cosT * py + cy).rounded())
                        guard sx >= 0, sx < w, sy >= 0, sy < h else { continue }
                        let from = (sy &* w &+ sx) &* c, to = (y &* w &+ x) &* c
                        for k in 0..<c { o[to &+ k] = s[from &+ k] }
                    }
                }
            }
        }
        return out
    }

    static func crop<T>(_ src: [T], _ w: Int, _ c: Int, x: Int, y: Int, side: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(side * side * c)
        for row in y..<(y + side) {
            let start = (row * w + x) * c
            out.append(contentsOf: src[start..<(start + side * c)])
        }
        return out
    }

    /// The paper's 8 modes, built from three primitives on an H×W grid.
    static func dihedral<T>(_ src: [T], _ w: Int, _ h: Int, _ c: Int, mode: Int) -> ([T], Int, Int) {
        switch mode {
        case 1, 7: return (remap(src, w, h, c, outW: w, outH: h) { x, y in (w - 1 - x, y) }, w, h)
        case 2: return (remap(src, w, h, c, outW: w, outH: h) { x, y in (x, h - 1 - y) }, w, h)
        case 3: return (remap(src, w, h, c, outW: w, outH: h) { x, y in (w - 1 - x, h - 1 - y) }, w, h)
        case 4:
            // rot90 then flip H: the output (x, y) reads rot90's (x, H'−1−y).
            let (r, rw, rh) = dihedral(src, w, h, c, mode: 6)
            return dihedral(r, rw, rh, c, mode: 2)
        case 6:
            // torch.rot90(k=1, dims=(H, W)) (counter-clockwise): out[i][j] = in[j][W−1−i], out is W×H.
            return (remap(src, w, h, c, outW: h, outH: w) { x, y in (w - 1 - y, x) }, h, w)
        default: return (src, w, h)
        }
    }

    /// out(x, y) = in(source(x, y)).
    private static func remap<T>(_ src: [T], _ w: Int, _ h: Int, _ c: Int, outW: Int, outH: Int,
                                 _ source: (Int, Int) -> (Int, Int)) -> [T] {
        var out = src
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<outH {
                    for x in 0..<outW {
                        let (sx, sy) = source(x, y)
                        let from = (sy &* w &+ sx) &* c, to = (y &* outW &+ x) &* c
                        for k in 0..<c { o[to &+ k] = s[from &+ k] }
                    }
                }
            }
        }
        return out
    }
}
