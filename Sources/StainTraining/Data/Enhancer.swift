import Foundation
import StainCore
import StainImaging
import Vips

/// Makes the enhanced images z of a data set that has no trainC/testC, with the same StainImaging code the
/// pipeline nodes run (so a model sees at training time exactly the z it will see in
/// `pipelines/stain-unpaired.yaml`): inverse histogram matching (`histogram-matcher`) against the pooled luma histogram of the whole bright-field training set,
/// the inverted z-score (`zscore-normalizer`), or plain luma.
public struct Enhancer: Sendable {
    public let method: Recipe.Enhancement
    /// The pooled luma histogram of the bright-field training images (c_b).
    public let reference: Histogram

    /// `brightfield`: the bright-field training images whose pooled luma histogram is the reference c_b.
    public init(method: Recipe.Enhancement, brightfield: [String]) throws {
        self.method = method
        var counts = [UInt64](repeating: 0, count: Histogram.bins)
        let context = RunContext(threads: 1)
        for path in brightfield {
            let h = try Luma.histogram(of: try VipsImage(contentsOf: path, options: ["fail_on": .enumeration("error")]),
                                       context, label: "bright-field histogram")
            for i in counts.indices { counts[i] += h.counts[i] }
        }
        reference = try Histogram(counts: counts, source: "trainB (\(brightfield.count) images)")
    }

    /// An enhancer with a given bright-field reference histogram c_b.
    public init(method: Recipe.Enhancement, reference: Histogram) {
        self.method = method
        self.reference = reference
    }

    /// z of one dark-field image, as a 1-band 8-bit image. `sourceStatistics`, when given, replaces the image's
    /// own histogram as c_d (inverse mode): tiles of one slide then share one mapping.
    public func enhance(_ path: String, sourceStatistics: Histogram? = nil) throws -> VipsImage {
        let x = try VipsImage(contentsOf: path, options: ["fail_on": .enumeration("error")])
        let context = RunContext(threads: 1)
        switch method {
        case .inverse:
            let lut = HistogramMatching.lookupTable(
                source: try sourceStatistics ?? Luma.histogram(of: x, context, label: "dark-field histogram"),
                reference: reference, mode: .inverse)
            return try HistogramMatching.apply(lut, to: Luma.of(x))
        case .zscore:
            return try ZScore(clip: 3, invert: true).normalize(x, context)
        case .none:
            return try Luma.of(x)
        }
    }

    /// Writes z for every path into `folder` (same file stems, PNG), skipping files already there; returns the
    /// paths in the order of `paths`.
    public func cache(_ paths: [String], into folder: String, sourceStatistics: Histogram? = nil) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try paths.map { path in
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let out = (folder as NSString).appendingPathComponent(stem + ".png")
            if !FileManager.default.fileExists(atPath: out) {
                try enhance(path, sourceStatistics: sourceStatistics).write(to: out)
            }
            return out
        }
    }
}
