import ArgumentParser
import Foundation
import MetricPlugins
import StainCore
import StainMetrics

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a folder of predictions: PSNR/SSIM/LPIPS against references, LPIPS-c, NIQE, FID, KID.",
        discussion: """
            Files pair by name without extension (and without --strip-suffix). Prints mean ± std per metric;
            --json/--csv write per-image values. LPIPS and FID/KID need converted weights (scripts/convert_weights.py),
            given by option or $STAINKIT_LPIPS_WEIGHTS / $STAINKIT_FID_INCEPTION_WEIGHTS.
            """)

    @Option(name: .customLong("pred"), help: "Folder of predicted images.")
    var prediction: String

    @Option(name: .customLong("ref"), help: "Folder of reference images (ground truth; for FID/KID the reference set).")
    var reference: String?

    @Option(help: "Folder of enhanced images z for lpips-c (same names as the predictions).")
    var enhanced: String?

    @Option(help: "Comma-separated metrics: \(Evaluation.Metric.allCases.map(\.rawValue).joined(separator: ",")).")
    var metrics: String = "psnr,ssim"

    @Option(help: "Remove this suffix from prediction names before pairing (e.g. _fake_B).")
    var stripSuffix: String = ""

    @Flag(help: "Skip unpaired files (listed on stderr) instead of failing.")
    var allowUnpaired = false

    @Option(help: "LPIPS weights (safetensors).") var lpipsWeights: String?
    @Option(help: "FID-Inception weights (safetensors).") var inceptionWeights: String?
    @Option(help: "KID subset size (0: the smaller set, at most 1000).") var kidSubsetSize: Int = 0
    @Option(help: "KID subsets.") var kidSubsets: Int = 100

    @Option(help: "Write per-image values and the summary as JSON.") var json: String?
    @Option(help: "Write per-image values as CSV.") var csv: String?

    func run() throws {
        try Failure.guarded {
            let chosen = try metrics.split(separator: ",").map { word -> Evaluation.Metric in
                let name = word.trimmingCharacters(in: .whitespaces)
                guard let metric = Evaluation.Metric(rawValue: name) else {
                    throw ValidationError("unknown metric '\(name)'; choose from "
                        + Evaluation.Metric.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return metric
            }
            let warn = { (text: String) in printError("warning: \(text)") }
            let predictions = try Evaluation.folder(prediction, stripSuffix: stripSuffix, warn: warn)
            let references = try reference.map { try Evaluation.folder($0, warn: warn) }
            var tables: [Table] = []
            if allowUnpaired, let references {
                for line in try Evaluation.pairs(prediction: predictions, reference: references, allowUnpaired: true).unpaired {
                    printError("warning: skipping \(line)")
                }
            }
            let lpips = chosen.contains(.lpips) || chosen.contains(.lpipsC) ? try Evaluation.lpips(weights: lpipsWeights) : nil
            for metric in chosen where metric.isPaired {
                let other: ImageSet
                if metric == .lpipsC {
                    guard let enhanced else { throw ValidationError("lpips-c needs --enhanced DIR") }
                    other = try Evaluation.folder(enhanced, warn: warn)
                } else {
                    guard let references else { throw ValidationError("\(metric.rawValue) needs --ref DIR") }
                    other = references
                }
                tables.append(try Evaluation.pairedScores(metric, prediction: predictions, reference: other,
                                                          allowUnpaired: allowUnpaired, lpips: lpips))
            }
            if chosen.contains(.niqe) { tables.append(try Evaluation.niqeScores(predictions)) }
            let distribution = chosen.filter(\.isDistribution)
            if !distribution.isEmpty {
                guard let references else { throw ValidationError("fid/kid need --ref DIR (the reference set)") }
                tables.append(try Evaluation.distributionScores(
                    distribution, prediction: predictions, reference: references,
                    inception: Evaluation.inception(weights: inceptionWeights),
                    kid: KID.Options(subsets: kidSubsets, subsetSize: kidSubsetSize)))
            }
            let table = MergeTablesNode.merge(tables)
            print("\(predictions.items.count) predictions in \(prediction)")
            print(table.formattedSummary())
            if let json { try table.json().write(to: URL(fileURLWithPath: json), options: .atomic) }
            if let csv { try Data(table.csv().utf8).write(to: URL(fileURLWithPath: csv), options: .atomic) }
            Failure.warnLibvips()
        }
    }
}
