import Foundation
import NeuralKernels
import StainCore
import StainImaging
import Vips

/// Builds a synthetic digital-staining data set (the paper's DSD is not public) from one real H&E image:
/// bright-field tiles y cut on a grid, their dark-field counterparts x made by `darkfield-synthesizer` over the
/// whole image (one intensity mapping for all tiles, like one microscope), enhanced z by inverse histogram
/// matching against the bright-field training tiles, and for the paired setting a `misalign`ed copy of y with its
/// true displacement field.
///
/// Splits: the test tiles are the rightmost grid columns (`testFraction` of them), so no test tile touches the
/// image area of a training tile except along one column border. Unpaired sets take trainA and trainB from
/// disjoint tiles (a checkerboard over the grid), so no x has its own y in the training set.
public struct SyntheticDataset: Sendable {
    public struct Options: Sendable {
        public var source: String
        public var output: String
        public var size = 256
        public var maxTiles: Int?
        public var testFraction = 0.2
        public var seed = 0
        public var paired = false
        /// Tissue criterion: a pixel is tissue when max(R,G,B) − min(R,G,B) ≥ `saturation` or its luma ≤ `luma`;
        /// a tile is kept when at least `minTissue` of its pixels are tissue.
        public var saturation = 20, luma = 200, minTissue = 0.5
        /// Misalignment of the paired setting: max rotation (degrees), shift (pixels), elastic σ (pixels).
        public var misalignRotation = 1.0, misalignTranslation = 5.0, misalignElastic = 2.0
        public init(source: String, output: String) {
            self.source = source
            self.output = output
        }
    }

    public struct Summary: Sendable {
        public let train: Int, test: Int, rejected: Int, trainA: Int, trainB: Int
    }

    public let options: Options
    public init(_ options: Options) { self.options = options }

    /// Writes the data set; `output` must not exist yet (it is built under a temporary name and renamed).
    public func build(log: (String) -> Void = { _ in }) throws -> Summary {
        let o = options
        let manager = FileManager.default
        guard !manager.fileExists(atPath: o.output) else {
            throw TrainingDataError(o.output, "exists already; choose a new --out")
        }
        var image = try VipsImage(contentsOf: o.source, options: ["fail_on": .enumeration("error")])
        if image.hasAlpha { image = try image.flatten(background: [255, 255, 255]) }
        guard image.format == .uchar, image.bands == 3 else {
            throw TrainingDataError(o.source, "is \(image.bands)-band \(image.format.nick); an 8-bit RGB H&E image is needed")
        }
        image = try image.copyToMemory()
        let columns = image.width / o.size, rows = image.height / o.size
        guard columns >= 2, rows >= 1 else {
            throw TrainingDataError(o.source, "\(image.width)×\(image.height) is too small for \(o.size)-pixel tiles")
        }

        // Tissue tiles on the grid; the test split is the last `testFraction` of them in column-major order
        // (the rightmost tissue), so train and test regions are separated by a column boundary.
        var tissue: [(Int, Int)] = [], rejected = 0
        for c in 0..<columns {
            for r in 0..<rows {
                let tile = try image.crop(x: c * o.size, y: r * o.size, width: o.size, height: o.size)
                if try tissueFraction(tile) >= o.minTissue { tissue.append((r, c)) } else { rejected += 1 }
            }
        }
        let testCount = max(1, Int((Double(tissue.count) * o.testFraction).rounded()))
        var train = Array(tissue.dropLast(testCount)), test = Array(tissue.suffix(testCount))
        let testColumns = Set(test.map(\.1)).count
        if let maxTiles = o.maxTiles, train.count + test.count > maxTiles {
            var rng = SeededGenerator(seed: UInt64(o.seed), stream: 7, index: 0)
            let keepTest = max(1, Int((Double(maxTiles) * Double(test.count) / Double(train.count + test.count)).rounded()))
            test = Array(test.shuffled(using: &rng).prefix(keepTest)).sorted { $0 < $1 }
            train = Array(train.shuffled(using: &rng).prefix(maxTiles - keepTest)).sorted { $0 < $1 }
        }
        guard !test.isEmpty, train.count >= (o.paired ? 1 : 2) else {
            throw TrainingDataError(o.source, "only \(train.count) training and \(test.count) test tiles have tissue "
                                    + "(\(rejected) rejected as glass); use smaller tiles")
        }
        log("tiles: \(train.count) train, \(test.count) test, \(rejected) rejected as background")

        // x for the whole image, then tiles. One libvips thread-pool pass; the noise seed is the data set's seed.
        let darkfield = try DarkfieldSynthesis(tint: [1.0, 0.96, 0.88], noise: 1.5, seed: o.seed + 1)
            .synthesize(image, RunContext(threads: 1))
        let x = try darkfield.copyToMemory()

        let staging = o.output + ".partial"
        try? manager.removeItem(atPath: staging)
        do {
            func folder(_ name: String) throws -> String {
                let path = (staging as NSString).appendingPathComponent(name)
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                return path
            }
            func name(_ t: (Int, Int)) -> String { String(format: "r%02d_c%02d.png", t.0, t.1) }
            func cut(_ source: VipsImage, _ t: (Int, Int)) throws -> VipsImage {
                try source.crop(x: t.1 * o.size, y: t.0 * o.size, width: o.size, height: o.size)
            }
            let trainA = try folder("trainA"), trainB = try folder("trainB")
            let testA = try folder("testA"), testB = try folder("testB")
            var countA = 0, countB = 0
            for t in train {
                let toA = o.paired || (t.0 + t.1) % 2 == 0
                let toB = o.paired || !toA
                if toA { try cut(x, t).write(to: (trainA as NSString).appendingPathComponent(name(t))); countA += 1 }
                if toB {
                    var y = try cut(image, t)
                    if o.paired {
                        let (warped, field) = try misalign(y, seed: o.seed * 100_003 + t.0 * 1000 + t.1)
                        y = warped
                        try field.write(to: (try folder("trainB-field") as NSString)
                            .appendingPathComponent(name(t).replacingOccurrences(of: ".png", with: ".tif")))
                    }
                    try y.write(to: (trainB as NSString).appendingPathComponent(name(t)))
                    countB += 1
                }
            }
            for t in test {
                try cut(x, t).write(to: (testA as NSString).appendingPathComponent(name(t)))
                try cut(image, t).write(to: (testB as NSString).appendingPathComponent(name(t)))
            }
            let set = try TrainingSet.open(root: staging, kind: .studentUnpaired, crop: 0)
            // One mapping for every tile, from statistics of the training area only (the columns left of the
            // first test tile): c_b of the bright-field image there, c_d of the dark-field image there. Both hold
            // the same share of glass, as a whole-slide run's statistics do; per-tile histograms instead stretch
            // the few dark levels of a mostly-glass tile over the whole range.
            let splitX = max(o.size, (test.map(\.1).min() ?? columns) * o.size)
            let context = RunContext(threads: 1)
            let reference = try Luma.histogram(of: image.crop(x: 0, y: 0, width: splitX, height: image.height),
                                               context, label: "bright-field histogram")
            let source = try Luma.histogram(of: x.crop(x: 0, y: 0, width: splitX, height: image.height),
                                            context, label: "dark-field histogram")
            let enhancer = Enhancer(method: .inverse, reference: reference)
            _ = try enhancer.cache(set.trainA, into: try folder("trainC"), sourceStatistics: source)
            _ = try enhancer.cache(set.testA, into: try folder("testC"), sourceStatistics: source)
            try readme(train: train.count, test: test.count, rejected: rejected, countA: countA, countB: countB,
                       columns: columns, rows: rows, testColumns: testColumns)
                .write(toFile: (staging as NSString).appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            try manager.moveItem(atPath: staging, toPath: o.output)
            return Summary(train: train.count, test: test.count, rejected: rejected, trainA: countA, trainB: countB)
        } catch {
            try? manager.removeItem(atPath: staging)
            throw error
        }
    }

    /// Fraction of tissue pixels by the documented criterion.
    func tissueFraction(_ tile: VipsImage) throws -> Double {
        let pixels = try tile.pixels(as: UInt8.self)
        var tissue = 0
        let n = pixels.count / 3
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let r = Int(p[3 &* i]), g = Int(p[3 &* i &+ 1]), b = Int(p[3 &* i &+ 2])
                let spread = max(r, g, b) - min(r, g, b)
                let luma = (299 * r + 587 * g + 114 * b) / 1000
                if spread >= options.saturation || luma <= options.luma { tissue += 1 }
            }
        }
        return Double(tissue) / Double(max(n, 1))
    }

    func misalign(_ y: VipsImage, seed: Int) throws -> (VipsImage, VipsImage) {
        try Misalignment(seed: seed, rotation: options.misalignRotation, translation: options.misalignTranslation,
                         scale: 0.02, elasticSigma: options.misalignElastic, elasticSpacing: 64).apply(to: y)
    }

    func readme(train: Int, test: Int, rejected: Int, countA: Int, countB: Int, columns: Int, rows: Int,
                testColumns: Int) throws -> String {
        let o = options
        let hash = try StainCore.SHA256.hex(file: o.source)
        return """
            # Synthetic digital-staining data set (\(o.paired ? "paired, misaligned" : "unpaired"))

            Made by `stain dataset synth` (StainKit) from `\((o.source as NSString).lastPathComponent)`
            (SHA-256 \(hash)).

            - Tiles: \(o.size)×\(o.size) px on a \(columns)×\(rows) grid without overlap; a tile is kept when at least
              \(Int(o.minTissue * 100)) % of its pixels are tissue (max(R,G,B) − min(R,G,B) ≥ \(o.saturation) or luma ≤ \(o.luma));
              \(rejected) tiles were rejected as glass/background.
            - Split: the last \(Int(o.testFraction * 100)) % of the tissue tiles in column-major order (the rightmost
              tissue, \(testColumns) grid column(s)) are the test split (\(test) tiles), the others train (\(train) tiles)\(o.maxTiles.map { ", at most \($0) tiles in all (seeded sample)" } ?? "").
            - trainB / testB (y): the bright-field tiles as cut. \(o.paired
                ? "trainB is misaligned by `misalign` (rotation ≤ \(o.misalignRotation)°, shift ≤ \(o.misalignTranslation) px, scale ≤ 2 %, elastic σ \(o.misalignElastic) px at 64 px spacing; seed per tile); its true fields are in trainB-field/ (2-band float TIFF, band 0 = dy, band 1 = dx, out(p) = y(p + d(p)))."
                : "trainA and trainB come from disjoint tiles (checkerboard over the grid: \(countA) in trainA, \(countB) in trainB), so the training set is really unpaired.")
            - trainA / testA (x): `darkfield-synthesizer` over the whole image (built-in dark-field model, tint
              1.0/0.96/0.88, noise σ 1.5, seed \(o.seed + 1)), then cut into the same tiles.
            - trainC / testC (z): inverse histogram matching (`histogram-matcher`, mode inverse), one mapping for
              every tile: c_b from the bright-field image and c_d from the dark-field image, both over the training
              area (the columns left of the first test tile), as a whole-slide staining run computes its statistics.
            - testA/testB/testC pair by file name (`rNN_cNN.png` = grid row and column) for evaluation against the
              true stained tile.
            - Seed: \(o.seed).
            """
    }
}
