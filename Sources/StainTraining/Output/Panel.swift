import Foundation
import Vips

/// A row of same-sized images side by side with a 4-pixel white gap, written with libvips (`arrayjoin`).
public enum Panel {
    public static func write(_ images: [TrainingImage], to path: String) throws {
        let rgb = try images.map { image -> VipsImage in
            let v = try image.vipsImage()
            return image.channels == 1 ? try v.bandjoin([v, v]) : v
        }
        let joined = try Vips.operation("arrayjoin", ["in": .images(rgb), "shim": .int(4),
                                                      "background": .doubles([255])]).image()
        try joined.write(to: path)
    }
}

/// Loss curves as a PNG: one strip per loss term (its name in the CSV header order), each scaled to its own range,
/// the raw values in light gray and a running mean over 1/50 of the steps in black. Rasterized here and written
/// by libvips; no plotting library needed.
public enum LossCurve {
    public static func write(csv: String, columns: [String], to path: String, width: Int = 720, strip: Int = 110)
        throws {
        let (header, rows) = try CSVLog.read(csv)
        guard !rows.isEmpty else { return }
        let height = strip * columns.count
        var canvas = [UInt8](repeating: 255, count: width * height)
        for (k, name) in columns.enumerated() {
            guard let column = header.firstIndex(of: name) else { continue }
            let values = rows.map { $0.count > column ? $0[column] : .nan }.filter(\.isFinite)
            guard values.count > 1, let lo = values.min(), let highest = values.max() else { continue }
            let window = max(1, values.count / 50)
            var smooth: [Double] = []
            var sum = 0.0
            for (i, v) in values.enumerated() {
                sum += v
                if i >= window { sum -= values[i - window] }
                smooth.append(sum / Double(min(i + 1, window)))
            }
            let hi = max(highest, lo + 1e-12)
            let top = k * strip + 6, bottom = (k + 1) * strip - 6
            func point(_ i: Int, _ v: Double) -> (Int, Int) {
                let x = Int(Double(i) / Double(values.count - 1) * Double(width - 1))
                let y = bottom - Int((v - lo) / (hi - lo) * Double(bottom - top))
                return (x, y)
            }
            for x in 0..<width { canvas[((k + 1) * strip - 1) * width + x] = 200 }
            for (series, shade) in [(values, UInt8(190)), (smooth, UInt8(0))] {
                var last = point(0, series[0])
                for i in 1..<series.count {
                    let p = point(i, series[i])
                    line(&canvas, width, from: last, to: p, shade: shade)
                    last = p
                }
            }
            // A short black tick per strip whose length encodes nothing but marks the strip's start; the term
            // names and ranges go into the sidecar text written beside the picture.
            for x in 0..<8 { canvas[(top) * width + x] = 0 }
        }
        let image = try VipsImage.from(buffer: canvas, width: width, height: height, bands: 1)
        try image.write(to: path)
        let legend = columns.enumerated().map { k, name -> String in
            guard let column = header.firstIndex(of: name) else { return "" }
            let values = rows.map { $0.count > column ? $0[column] : .nan }.filter(\.isFinite)
            return "strip \(k + 1): \(name)  min \(formatNumber(values.min() ?? .nan))  max \(formatNumber(values.max() ?? .nan))"
        }.joined(separator: "\n")
        try (legend + "\n").write(toFile: (path as NSString).deletingPathExtension + ".txt", atomically: true,
                                  encoding: .utf8)
    }

    /// Bresenham's line.
    static func line(_ canvas: inout [UInt8], _ width: Int, from a: (Int, Int), to b: (Int, Int), shade: UInt8) {
        var (x0, y0) = a
        let (x1, y1) = b
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        let height = canvas.count / width
        while true {
            if x0 >= 0, x0 < width, y0 >= 0, y0 < height { canvas[y0 * width + x0] = min(canvas[y0 * width + x0], shade) }
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }
}
