import Foundation
import StainCore
import StainMetrics
import Vips

/// What the metric nodes and `stain eval` share: pairing image sets by name, reading pixels, and the metrics
/// themselves, each computed exactly as the paper's evaluation scripts do (see StainMetrics).
public enum Evaluation {
    /// Metrics computed per image pair (or per image for NIQE); the others score whole sets.
    public enum Metric: String, CaseIterable, Sendable {
        case psnr, ssim, lpips, lpipsC = "lpips-c", niqe, fid, kid

        /// Whether the metric compares each prediction with a reference image of the same name.
        public var isPaired: Bool { [.psnr, .ssim, .lpips, .lpipsC].contains(self) }
        /// Whether the metric scores two sets of images as distributions.
        public var isDistribution: Bool { self == .fid || self == .kid }
    }

    /// Predictions matched with references by name. With `allowUnpaired`, names without a partner are left out
    /// (`unpaired` lists them); otherwise they are an error that names every one.
    public static func pairs(prediction: ImageSet, reference: ImageSet, allowUnpaired: Bool)
        throws -> (pairs: [(name: String, prediction: VipsImage, reference: VipsImage)], unpaired: [String]) {
        if prediction.items.count == 1 && reference.items.count == 1 {
            return ([(prediction.items[0].name, prediction.items[0].image, reference.items[0].image)], [])
        }
        var result: [(name: String, prediction: VipsImage, reference: VipsImage)] = []
        var unpaired: [String] = []
        for item in prediction.items {
            if let ref = reference.image(named: item.name) { result.append((item.name, item.image, ref)) }
            else { unpaired.append("prediction '\(item.name)' has no reference") }
        }
        let predicted = Set(prediction.names)
        for name in reference.names where !predicted.contains(name) {
            unpaired.append("reference '\(name)' has no prediction")
        }
        if !unpaired.isEmpty && !allowUnpaired {
            throw NodeRunError(.unreadableInput, "unpaired images: " + unpaired.joined(separator: "; "))
        }
        guard !result.isEmpty else { throw NodeRunError(.unreadableInput, "no image pairs to evaluate") }
        return (result, unpaired)
    }

    /// The pixels of an image as the metrics read them: 8-bit, RGB (gray replicated, alpha dropped).
    public static func metricImage(_ image: VipsImage, name: String) throws -> MetricImage {
        var picture = image
        do {
            // The read node's pixel-format policy: 16-bit scaled by round(v/257), float/CMYK/>4 bands refused.
            picture = try PixelFormatPolicy.admit(picture, file: name).image
            if picture.hasAlpha { picture = try picture.call("flatten", ["background": .doubles([255, 255, 255])]) }
            if picture.bands == 1 || picture.bands == 2 {
                let gray = try picture.call("extract_band", ["band": .int(0)])
                picture = try Vips.operation("bandjoin", ["in": .images([gray, gray, gray])]).image()
            } else if picture.bands > 3 {
                picture = try picture.call("extract_band", ["band": .int(0), "n": .int(3)])
            }
            picture = try picture.cast(to: .uchar)
            return try MetricImage(width: picture.width, height: picture.height, channels: 3,
                                   bytes: try picture.pixels(as: UInt8.self))
        } catch let refusal as PixelFormatPolicy.Refusal {
            throw NodeRunError(.unreadableInput, refusal.message)
        } catch {
            // Decoding found damage: name the file, with what the loader said.
            let reason = ErrorText.describe(error).split(separator: "\n").last.map(String.init) ?? "\(error)"
            let warnings = Vips.takeWarnings().filter { !$0.hasPrefix("error in tile") }
            guard let file = image.filename else {
                throw NodeRunError(.unreadableInput, "cannot read image '\(name)': " + (warnings + [reason]).joined(separator: "; "))
            }
            throw NodeRunError(.unreadableInput, "'\(file)' is damaged or truncated: " + (warnings + [reason]).joined(separator: "; "))
        }
    }

    /// Per-pair scores of one paired metric, one table row per pair.
    public static func pairedScores(_ metric: Metric, prediction: ImageSet, reference: ImageSet,
                                    allowUnpaired: Bool, lpips: LPIPS? = nil,
                                    progress: any ProgressReporter = SilentProgress()) throws -> Table {
        let matched = try pairs(prediction: prediction, reference: reference, allowUnpaired: allowUnpaired)
        var table = Table(columns: [metric.rawValue])
        progress.begin("\(metric.rawValue) of \(matched.pairs.count) pairs")
        defer { progress.end() }
        for (index, pair) in matched.pairs.enumerated() {
            defer { progress.update(Double(index + 1) / Double(matched.pairs.count)) }
            let p = try metricImage(pair.prediction, name: pair.name)
            let r = try metricImage(pair.reference, name: pair.name)
            let value: Double
            do {
                switch metric {
                case .psnr: value = try PSNR.score(p, r)
                case .ssim: value = try SSIM.score(p, r)
                case .lpips, .lpipsC:
                    guard let lpips else { throw NodeRunError(.failure, "\(metric.rawValue) needs the LPIPS weights") }
                    value = try metric == .lpips ? lpips.distance(p, r) : lpips.colorFreeDistance(prediction: p, enhanced: r)
                default:
                    throw NodeRunError(.failure, "\(metric.rawValue) is not a paired metric")
                }
            } catch let error as MetricError {
                throw NodeRunError(.failure, "\(metric.rawValue) of '\(pair.name)': \(error)")
            }
            table.rows.append(.init(label: pair.name, values: [value]))
        }
        return table
    }

    /// NIQE of each image (no reference).
    public static func niqeScores(_ images: ImageSet, progress: any ProgressReporter = SilentProgress()) throws -> Table {
        var table = Table(columns: ["niqe"])
        progress.begin("niqe of \(images.items.count) images")
        defer { progress.end() }
        for (index, item) in images.items.enumerated() {
            defer { progress.update(Double(index + 1) / Double(images.items.count)) }
            do {
                table.rows.append(.init(label: item.name, values: [try NIQE.score(metricImage(item.image, name: item.name))]))
            } catch let error as MetricError {
                throw NodeRunError(.failure, "niqe of '\(item.name)': \(error)")
            }
        }
        return table
    }

    /// FID and/or KID between two sets of images, one row named "set". As in the paper's tools, FID uses
    /// pytorch-fid's preprocessing and KID torch-fidelity's (`inception-v3-compat`), on the same Inception weights.
    public static func distributionScores(_ metrics: [Metric], prediction: ImageSet, reference: ImageSet,
                                          inception: FIDInceptionV3, kid: KID.Options) throws -> Table {
        let predictions = try prediction.items.map { try metricImage($0.image, name: $0.name) }
        let references = try reference.items.map { try metricImage($0.image, name: $0.name) }
        var columns: [String] = [], values: [Double] = []
        do {
            if metrics.contains(.fid) {
                let a = try inception.features(predictions, preprocessing: .pytorchFID)
                let b = try inception.features(references, preprocessing: .pytorchFID)
                columns.append("fid"); values.append(try FID.distance(a, b))
            }
            if metrics.contains(.kid) {
                let a = try inception.features(predictions, preprocessing: .torchFidelity)
                let b = try inception.features(references, preprocessing: .torchFidelity)
                var options = kid
                if options.subsetSize <= 0 { options.subsetSize = min(1000, a.count, b.count) }
                let result = try KID.score(a, b, options: options)
                columns += ["kid", "kid-std"]; values += [result.mean, result.std]
            }
        } catch let error as MetricError {
            throw NodeRunError(.failure, "\(error)")
        }
        return Table(columns: columns, rows: [.init(label: "set", values: values)])
    }

    /// The weights file a node will use: its parameter, else the environment variable; checked at validation so a
    /// missing file stops the run before any pixel moves.
    public static func weightsPath(_ parameter: String?, lpips: Bool) throws -> String {
        do {
            let path = try parameter ?? (lpips ? LPIPSWeights.pathFromEnvironment() : InceptionWeights.pathFromEnvironment())
            guard FileManager.default.fileExists(atPath: path) else {
                throw MetricError.missingWeights("no weights file '\(path)'; "
                    + (lpips ? LPIPSWeights.howToGet : InceptionWeights.howToGet))
            }
            return path
        } catch let error as MetricError {
            throw NodeConfigurationError(key: "weights", "\(error)")
        }
    }

    /// Loads LPIPS weights from a path, or from STAINKIT_LPIPS_WEIGHTS when the path is empty.
    public static func lpips(weights: String?) throws -> LPIPS {
        do {
            return try weights.map { try LPIPS(contentsOf: $0) } ?? LPIPS.fromEnvironment()
        } catch {
            throw NodeRunError(.unreadableInput, "\(error)")
        }
    }

    /// Loads FID-Inception weights from a path, or from STAINKIT_FID_INCEPTION_WEIGHTS when the path is empty.
    public static func inception(weights: String?) throws -> FIDInceptionV3 {
        do {
            return try weights.map { try FIDInceptionV3(contentsOf: $0) } ?? FIDInceptionV3.fromEnvironment()
        } catch {
            throw NodeRunError(.unreadableInput, "\(error)")
        }
    }

    /// The images of a folder, named by file name without extension (and without `stripSuffix`, e.g. `_fake_B`).
    /// Each passes `PixelFormatPolicy` from its header (refusals name the file, exit 3); `warn` hears the
    /// conversions (16-bit → 8-bit).
    public static func folder(_ path: String, extensions: [String] = ["png", "jpg", "jpeg", "tif", "tiff"],
                              stripSuffix: String = "", warn: (String) -> Void = { _ in }) throws -> ImageSet {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw NodeRunError(.unreadableInput, "cannot list folder '\(path)': \(error.localizedDescription)")
        }
        guard !files.isEmpty else {
            throw NodeRunError(.unreadableInput, "folder '\(path)' has no images (\(extensions.joined(separator: ", ")))")
        }
        var items: [(name: String, image: VipsImage)] = []
        for file in files {
            var name = (file as NSString).deletingPathExtension
            if !stripSuffix.isEmpty && name.hasSuffix(stripSuffix) { name.removeLast(stripSuffix.count) }
            let filePath = (path as NSString).appendingPathComponent(file)
            do {
                let admitted = try PixelFormatPolicy.admit(try VipsImage(contentsOf: filePath), file: filePath)
                admitted.warnings.forEach(warn)
                items.append((name, admitted.image))
            } catch let refusal as PixelFormatPolicy.Refusal {
                throw NodeRunError(.unreadableInput, refusal.message)
            } catch {
                throw NodeRunError(.unreadableInput, "cannot read '\(file)' in '\(path)': \(ErrorText.describe(error))")
            }
        }
        return ImageSet(items)
    }
}
