import ArgumentParser
import Foundation
import StainKit
import StainCore
import StainMetrics

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a folder of predictions: PSNR/SSIM/LPIPS against references, LPIPS-c, NIQE, FID, KID.",
        discussion: """
            Files pair by name without extension (and without --strip-suffix). Prints mean ± std per metric;
            --json/--csv write per-image values. LPIPS and FID/KID need converted weights (scripts/convert_weights.py),
            given by option or $STAINKIT_LPIPS_WEIGHTS / $STAINKIT_FID_INCEPTION_WEIGHTS. Each table written gets \
            TABLE.provenance.json: the command line, metrics, settings, every scored file's SHA-256, weights, versions.
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
    @Option(help: "Progress on stderr: bar (default when stderr is a terminal), json (JSON lines), lines, none.")
    var progress: ProgressStyle?

    @Flag(help: "Do not write TABLE.provenance.json next to the --json/--csv files (an old one there is removed).")
    var noProvenance = false

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
            // A folder that is not there is a mistake on the command line (exit 2), like a missing input file.
            for (option, path) in [("--pred", prediction), ("--ref", reference), ("--enhanced", enhanced)] {
                guard let path else { continue }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ValidationError("\(option): no such folder '\(path)'")
                }
            }
            let weights = try weightFiles(chosen)
            let reporter = ProgressStyle.resolved(progress, otherwise: .none).reporter()
            let warn = { (text: String) in printError("warning: \(text)") }
            let predictions = try Evaluation.folder(prediction, stripSuffix: stripSuffix, warn: warn)
            let references = try reference.map { try Evaluation.folder($0, warn: warn) }
            var tables: [Table] = []
            var scored = [EvalProvenance.folder("pred", prediction, predictions, stripSuffix: stripSuffix)]
            if let reference, let references { scored.append(EvalProvenance.folder("ref", reference, references)) }
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
                    scored.append(EvalProvenance.folder("enhanced", enhanced, other))
                } else {
                    guard let references else { throw ValidationError("\(metric.rawValue) needs --ref DIR") }
                    other = references
                }
                tables.append(try Evaluation.pairedScores(metric, prediction: predictions, reference: other,
                                                          allowUnpaired: allowUnpaired, lpips: lpips, progress: reporter))
            }
            if chosen.contains(.niqe) { tables.append(try Evaluation.niqeScores(predictions, progress: reporter)) }
            let distribution = chosen.filter(\.isDistribution)
            if !distribution.isEmpty {
                guard let references else { throw ValidationError("fid/kid need --ref DIR (the reference set)") }
                tables.append(try Evaluation.distributionScores(
                    distribution, prediction: predictions, reference: references,
                    inception: Evaluation.inception(weights: inceptionWeights),
                    kid: KID.Options(subsets: kidSubsets, subsetSize: kidSubsetSize)))
            }
            // As in pipelines, an output never replaces an input or another output.
            let outputs = [json, csv].compactMap { $0 }
            if outputs.count == 2 && (outputs[0] == outputs[1] || SamePath.same(outputs[0], outputs[1])) {
                throw ValidationError("--json and --csv name the same file '\(outputs[0])'")
            }
            for output in outputs {
                if let input = scored.flatMap(\.files).first(where: { SamePath.same($0.path, output) }) {
                    throw ValidationError("the table '\(output)' would replace the scored image '\(input.path)'")
                }
            }
            let table = Table.merged(tables)
            print("\(predictions.items.count) predictions in \(prediction)")
            print(table.formattedSummary())
            let provenance = EvalProvenance(
                commandLine: CommandLine.arguments, metrics: chosen.map(\.rawValue),
                settings: ["strip-suffix": stripSuffix, "allow-unpaired": allowUnpaired,
                           "kid-subsets": kidSubsets, "kid-subset-size": kidSubsetSize],
                folders: scored, weights: weights)
            for (path, data) in [(json, try table.json()), (csv, Data(table.csv().utf8))] {
                guard let path else { continue }
                try OutputFiles.write(data, to: path)
                if noProvenance {
                    unlink(EvalProvenance.sidecar(for: path))
                } else {
                    try OutputFiles.write(try provenance.json(output: path, sha256: SHA256.hex(data)),
                                          to: EvalProvenance.sidecar(for: path))
                }
            }
            Failure.warnLibvips()
        }
    }

    /// The weight files the chosen metrics read: the option, else the environment variable the metric reads.
    /// Weights are inputs: one that is not named or not there is a usage error (exit 2), as at pipeline validation.
    func weightFiles(_ chosen: [Evaluation.Metric]) throws -> [String: String] {
        var files: [String: String] = [:]
        if chosen.contains(.lpips) || chosen.contains(.lpipsC) {
            files["lpips"] = try weightsFile(lpipsWeights, LPIPSWeights.self)
        }
        if chosen.contains(where: \.isDistribution) {
            files["fid-inception"] = try weightsFile(inceptionWeights, InceptionWeights.self)
        }
        return files
    }

    func weightsFile<Weights: PretrainedWeights>(_ option: String?, _ kind: Weights.Type) throws -> String {
        let path: String
        do {
            path = try option ?? Weights.pathFromEnvironment()
        } catch {
            throw ValidationError(ErrorText.describe(error))
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(Weights.displayName) weights: no such file '\(path)'; \(Weights.howToGet)")
        }
        return path
    }
}
