import Foundation
import NeuralKernels
import StainCore
import StainMetrics
import StainModels

/// What the loop reports after every step.
public struct TrainingProgress: Sendable {
    public let step: Int
    public let totalSteps: Int
    public let epoch: Int
    public let learningRate: Double
    public let losses: [(name: String, value: Double)]
    public let stepSeconds: Double
    public let note: String?
}

/// Asked between steps; set from a signal handler to stop with a checkpoint.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    public init() {}
    public func stop() { lock.lock(); stopped = true; lock.unlock() }
    public var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
}

/// The run was stopped by `StopFlag` after writing a checkpoint at `step`.
public struct TrainingInterrupted: Error, Sendable, CustomStringConvertible {
    public let step: Int
    public let directory: String
    public var description: String {
        "interrupted: checkpoint at step \(step) saved; continue with: stain train --resume \(directory)"
    }
}

/// One training run in a run folder: data, trainer, schedule, logs, checkpoints, validation, panels and export.
///
/// Run folder: `recipe.yaml` + `run.json` (what `--resume` reads), `log.csv` (every step), `validation.csv`,
/// `checkpoint.safetensors` (atomic: weights, Adam moments, replay pools, step), `panels/`, `loss-curve.png`,
/// `enhanced/` (z made when the data set has none), `export/` (the trained network + JSON sidecar, and the best one).
public final class TrainingRun {
    public let recipe: Recipe
    public let directory: String
    public let data: TrainingSet
    public let trainer: Trainer
    let source: BatchSource
    let testItems: [TestItem]
    let schedule: LearningRateSchedule
    public private(set) var step = 0
    var best: (step: Int, psnr: Double, ssim: Double)?
    var lastValidation: (psnr: Double, ssim: Double)?
    /// The frozen teacher's scores on the same test split (student recipes), computed once.
    var teacherValidation: (psnr: Double, ssim: Double)?

    public var totalSteps: Int { recipe.epochs * source.stepsPerEpoch }
    public var stepsPerEpoch: Int { source.stepsPerEpoch }
    var checkpointPath: String { path("checkpoint.safetensors") }

    /// Checks everything (data set, weights against architectures), then creates `directory` (which must not exist
    /// yet), or, with `resume`, reopens it and restores the last checkpoint. Nothing is created when a check fails.
    public init(recipe: Recipe, directory: String, resume: Bool = false, log: (String) -> Void = { _ in }) throws {
        self.recipe = recipe
        self.directory = directory
        let manager = FileManager.default
        if !resume && manager.fileExists(atPath: directory) {
            throw RecipeInvalid([Diagnostic(SourceLocation(file: directory, line: 0, column: 0),
                                            "the run folder exists already; resume it with --resume, or choose "
                                            + "another --out")])
        }
        data = try TrainingSet.open(root: recipe.dataRoot, kind: recipe.kind, crop: recipe.crop)
        schedule = LearningRateSchedule(initial: recipe.learningRate, epochs: recipe.epochs, decayAfter: recipe.decayAfter)

        // Networks: weights files must fit the recipe's architecture, reported at the key that names them.
        var problems: [Diagnostic] = []
        var teacher: SIGGRAPHColorizer?
        if recipe.kind.isStudent, let path = recipe.teacherWeights {
            do {
                let dict = try StateDict.load(path)
                let colorizer = SIGGRAPHColorizer(width: try SIGGRAPHColorizer.width(of: dict))
                try colorizer.load(dict, stripModulePrefix: true)
                teacher = colorizer
            } catch {
                problems.append(Diagnostic(recipe.location("model.teacher"), key: "model.teacher",
                                           "\(path) is not a colorizer's weights: \(error)"))
            }
        }
        var made: Trainer?
        do {
            switch recipe.kind {
            case .teacher: made = try TeacherTrainer(recipe: recipe)
            case .studentUnpaired, .studentPaired:
                if let teacher { made = try StudentTrainer(recipe: recipe, teacher: teacher) }
            }
        } catch {
            problems.append(Diagnostic(recipe.location("model.init"), key: "model.init",
                                       "\(recipe.initWeights ?? "") does not fit the recipe's architecture "
                                       + "(\(architectureSummary(recipe))): \(error)"))
        }
        var checkpoint: StateDict?
        if resume {
            do {
                let dict = try StateDict.load((directory as NSString).appendingPathComponent("checkpoint.safetensors"))
                try made?.load(state: dict)
                checkpoint = dict
            } catch {
                problems.append(Diagnostic(SourceLocation(file: (directory as NSString)
                    .appendingPathComponent("checkpoint.safetensors"), line: 0, column: 0),
                                           "cannot resume from this checkpoint: \(error)"))
            }
        }
        guard problems.isEmpty, let trainer = made else { throw RecipeInvalid(problems) }
        self.trainer = trainer

        // The run folder, and z where the data set has none. A failure here removes a folder made just now.
        let created = !resume
        do {
            if created { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try manager.createDirectory(atPath: (directory as NSString).appendingPathComponent("panels"),
                                        withIntermediateDirectories: true)
            // The data set's own z, unless the recipe asks to make z itself (the enhancement ablations).
            let givenTrainC = recipe.datasetZ ? data.trainC : nil, givenTestC = recipe.datasetZ ? data.testC : nil
            var trainC = givenTrainC ?? [], testC = givenTestC ?? []
            if recipe.kind != .teacher && (givenTrainC == nil || givenTestC == nil) {
                log("enhancing the dark-field images (\(recipe.enhancement.rawValue)) into \(directory)/enhanced")
                let enhancer = try Enhancer(method: recipe.enhancement, brightfield: data.trainB)
                if givenTrainC == nil {
                    trainC = try enhancer.cache(data.trainA, into: (directory as NSString).appendingPathComponent("enhanced/trainC"))
                }
                if givenTestC == nil {
                    testC = try enhancer.cache(data.testA, into: (directory as NSString).appendingPathComponent("enhanced/testC"))
                }
            }
            // Paired sets: trainB in trainA's order (pairs by file name).
            let brightfield = recipe.kind == .studentPaired ? Self.pair(data.trainA, data.trainB) : data.trainB
            source = BatchSource(recipe: recipe, darkfield: data.trainA, enhanced: Self.pair(data.trainA, trainC),
                                 brightfield: brightfield, width: data.width, height: data.height)
            testItems = try Self.testItems(data, enhanced: Self.pair(data.testA, testC), kind: recipe.kind)
            if created { try writeRunFiles() }
        } catch {
            if created { try? manager.removeItem(atPath: directory) }
            throw error
        }
        if let checkpoint { try restoreProgress(checkpoint) }
        if let student = trainer as? StudentTrainer, recipe.teacherCache {
            log("caching the teacher's outputs for \(data.trainA.count) training images")
            for i in 0..<data.trainA.count {
                source.teacherCache[i] = try student.teacherTarget(
                    batchItem(source.enhancedTensor(i), 0).sliceFirstChannel()).interleaved()
            }
        }
    }

    /// For each path of `a`, the path in `c` with the same stem.
    static func pair(_ a: [String], _ c: [String]) -> [String] {
        func stem(_ p: String) -> String { ((p as NSString).lastPathComponent as NSString).deletingPathExtension }
        let byStem = Dictionary(c.map { (stem($0), $0) }, uniquingKeysWith: { first, _ in first })
        return a.map { byStem[stem($0)] ?? $0 }
    }

    static func testItems(_ data: TrainingSet, enhanced: [String], kind: Recipe.Kind) throws -> [TestItem] {
        if kind == .teacher {
            return try data.testB.map { TestItem(name: stem($0), x: nil, z: nil, y: try TrainingImage.load($0).tensor()) }
        }
        let byStemB = Dictionary(data.testB.map { (stem($0), $0) }, uniquingKeysWith: { a, _ in a })
        return try zip(data.testA, enhanced).map { a, c in
            guard let b = byStemB[stem(a)] else { throw TrainingDataError(a, "has no partner in testB") }
            return TestItem(name: stem(a), x: try TrainingImage.load(a).tensor(),
                            z: try TrainingImage.load(c).gray().tensor(), y: try TrainingImage.load(b).tensor())
        }
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private func writeRunFiles() throws {
        try recipe.text.write(toFile: path("recipe.yaml"), atomically: true, encoding: .utf8)
        let info: [String: Any] = ["recipe-file": URL(fileURLWithPath: recipe.file).standardizedFileURL.path,
                                   "overrides": recipe.overrides, "kind": recipe.kind.rawValue]
        try JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: path("run.json")))
    }

    /// Reads the recipe a run folder was started with (the copy in the folder, with the original file's location for
    /// relative paths, and the original overrides).
    public static func recipe(resuming directory: String) throws -> Recipe {
        let runFile = (directory as NSString).appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: runFile),
              let info = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let file = info["recipe-file"] as? String else {
            throw RecipeInvalid([Diagnostic(SourceLocation(file: runFile, line: 0, column: 0),
                                            "not a run folder (no readable run.json)")])
        }
        let text = try String(contentsOfFile: (directory as NSString).appendingPathComponent("recipe.yaml"), encoding: .utf8)
        return try RecipeParser.parse(text, file: file, overrides: info["overrides"] as? [String] ?? [])
    }

    private func restoreProgress(_ dict: StateDict) throws {
        guard let stepText = dict.metadata["run.step"], let saved = Int(stepText) else {
            throw TensorError.missingKey("run.step")
        }
        step = saved
        if let s = dict.metadata["run.best-step"], let b = Int(s), let p = Double(dict.metadata["run.best-psnr"] ?? ""),
           let q = Double(dict.metadata["run.best-ssim"] ?? "") {
            best = (b, p, q)
        }
    }

    /// Writes the checkpoint atomically (a temporary file renamed into place).
    public func saveCheckpoint() throws {
        var dict = trainer.state()
        dict.metadata["run.step"] = "\(step)"
        dict.metadata["run.epoch"] = "\(step / max(stepsPerEpoch, 1))"
        dict.metadata["run.recipe-kind"] = recipe.kind.rawValue
        if let best {
            dict.metadata["run.best-step"] = "\(best.step)"
            dict.metadata["run.best-psnr"] = "\(best.psnr)"
            dict.metadata["run.best-ssim"] = "\(best.ssim)"
        }
        try dict.save(checkpointPath)
    }

    /// Trains until the recipe's last step, or until `stop` is set (then a checkpoint is written and
    /// `TrainingInterrupted` thrown). `stopAfter`, when given, ends early after that many steps in total (tests).
    public func run(stop: StopFlag = StopFlag(), stopAfter: Int? = nil,
                    progress: (TrainingProgress) -> Void = { _ in }) throws {
        let lossLog = try CSVLog(path: path("log.csv"), header: ["step", "epoch", "lr"] + trainer.lossNames + ["seconds"],
                                 keepThrough: step)
        let validationLog = try CSVLog(path: path("validation.csv"), header: ["step", "psnr", "ssim"], keepThrough: step)
        let prefetcher = Prefetcher(source: source)
        defer { prefetcher.drain() }
        let end = min(totalSteps, stopAfter ?? totalSteps)
        while step < end {
            let epoch = step / stepsPerEpoch, inEpoch = step % stepsPerEpoch
            let lr = schedule.rate(epoch: epoch)
            trainer.setLearningRate(lr)
            let next = step + 1 < end ? ((step + 1) / stepsPerEpoch, (step + 1) % stepsPerEpoch) : nil
            let batch = try prefetcher.batch(epoch: epoch, step: inEpoch, next: next.map { (epoch: $0.0, step: $0.1) })
            let started = Date()
            let losses = try trainer.step(batch)
            let seconds = Date().timeIntervalSince(started)
            step += 1
            try lossLog.append(["\(step)", "\(epoch)", formatNumber(lr)] + losses.map(formatNumber) + [String(format: "%.3f", seconds)])
            var note: String?
            if recipe.validateEvery > 0 && step % recipe.validateEvery == 0 && step < end {
                note = try validate(log: validationLog)
            }
            if recipe.panelEvery > 0 && step % recipe.panelEvery == 0 && step < end { try drawPictures() }
            if step % recipe.checkpointEvery == 0 && step < end { try saveCheckpoint() }
            progress(TrainingProgress(step: step, totalSteps: totalSteps, epoch: epoch, learningRate: lr,
                                      losses: Array(zip(trainer.lossNames, losses)), stepSeconds: seconds, note: note))
            if stop.isStopped && step < end {
                try saveCheckpoint()
                throw TrainingInterrupted(step: step, directory: directory)
            }
        }
        let note = try validate(log: validationLog)
        try drawPictures()
        try saveCheckpoint()
        if step >= totalSteps { try export() }
        progress(TrainingProgress(step: step, totalSteps: totalSteps, epoch: (step - 1) / stepsPerEpoch,
                                  learningRate: schedule.rate(epoch: (step - 1) / stepsPerEpoch), losses: [],
                                  stepSeconds: 0, note: note))
    }

    /// PSNR and SSIM of the model on the test split; keeps the best export by the recipe's metric.
    @discardableResult
    func validate(log: CSVLog) throws -> String? {
        guard !testItems.isEmpty else { return nil }
        var psnr = 0.0, ssim = 0.0
        for item in testItems {
            let predicted = try trainer.predict(item).metricImage()
            let target = try TrainingImage.from(tensor: item.y).metricImage()
            psnr += try PSNR.score(predicted, target)
            ssim += try SSIM.score(predicted, target)
        }
        psnr /= Double(testItems.count)
        ssim /= Double(testItems.count)
        lastValidation = (psnr, ssim)
        if teacherValidation == nil, try trainer.teacherPrediction(testItems[0]) != nil {
            var tp = 0.0, ts = 0.0
            for item in testItems {
                guard let predicted = try trainer.teacherPrediction(item)?.metricImage() else { continue }
                let target = try TrainingImage.from(tensor: item.y).metricImage()
                tp += try PSNR.score(predicted, target)
                ts += try SSIM.score(predicted, target)
            }
            teacherValidation = (tp / Double(testItems.count), ts / Double(testItems.count))
        }
        try log.append(["\(step)", formatNumber(psnr), formatNumber(ssim)])
        let better: Bool
        switch recipe.bestMetric {
        case .psnr: better = best.map { psnr > $0.psnr } ?? true
        case .ssim: better = best.map { ssim > $0.ssim } ?? true
        }
        if better {
            best = (step, psnr, ssim)
            try export(prefix: "best-")
        }
        let teacher = teacherValidation.map { String(format: " (teacher: PSNR %.2f dB, SSIM %.4f)", $0.psnr, $0.ssim) }
        return String(format: "validation: PSNR %.2f dB, SSIM %.4f on %d test images", psnr, ssim, testItems.count)
            + (teacher ?? "")
    }

    /// A panel of one test image (dark-field | enhanced | teacher | student | target; for the teacher:
    /// gray input | teacher | target) and the loss curves.
    func drawPictures() throws {
        // The test image with the most tissue (darkest target): the first is often mostly glass.
        guard let item = testItems.min(by: { $0.y.scalars.reduce(0, +) < $1.y.scalars.reduce(0, +) }) else { return }
        var images: [TrainingImage] = []
        if let x = item.x, let z = item.z {
            images += [TrainingImage.from(tensor: x), TrainingImage.from(tensor: z)]
            if let t = try trainer.teacherPrediction(item) { images.append(t) }
        } else {
            // l = (L − 50)/100 shown as L/100 of white: 2·l in the [−1, 1] convention.
            var l = try SIGGRAPHColorizer.lightness(item.y)
            l.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] *= 2 } }
            images.append(TrainingImage.from(tensor: l))
        }
        images += [try trainer.predict(item), TrainingImage.from(tensor: item.y)]
        try Panel.write(images, to: path(String(format: "panels/step-%07d.png", step)))
        try LossCurve.write(csv: path("log.csv"), columns: trainer.lossNames, to: path("loss-curve.png"))
    }

    /// Writes the trained network as safetensors with a JSON sidecar (recipe, architecture, data set, steps, metrics).
    public func export(prefix: String = "") throws {
        let folder = path("export")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (name, weights, architecture) = trainer.exported
        var dict = weights
        for (k, v) in architecture { dict.metadata[k] = v }
        dict.metadata["steps"] = "\(step)"
        dict.metadata["recipe-kind"] = recipe.kind.rawValue
        let base = (folder as NSString).appendingPathComponent(prefix + name)
        try dict.save(base + ".safetensors")
        var sidecar: [String: Any] = [
            "network": name, "architecture": architecture, "recipe": recipe.text, "recipe-file": recipe.file,
            "overrides": recipe.overrides, "dataset": ["root": data.root, "sha256": try data.fingerprint(),
                                                       "train-images": data.trainB.count + data.trainA.count,
                                                       "test-images": testItems.count],
            "steps": step, "epochs": recipe.epochs, "created": ISO8601DateFormatter().string(from: Date()),
        ]
        if let v = lastValidation { sidecar["validation"] = ["step": step, "psnr": v.psnr, "ssim": v.ssim] }
        if let b = best { sidecar["best-validation"] = ["step": b.step, "psnr": b.psnr, "ssim": b.ssim] }
        if let t = teacherValidation { sidecar["teacher-validation"] = ["psnr": t.psnr, "ssim": t.ssim] }
        try JSONSerialization.data(withJSONObject: sidecar, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: base + ".json"), options: .atomic)
    }
}

private func stem(_ p: String) -> String { ((p as NSString).lastPathComponent as NSString).deletingPathExtension }

func architectureSummary(_ recipe: Recipe) -> String {
    switch recipe.kind {
    case .teacher: return "colorizer width \(recipe.width)"
    case .studentUnpaired: return "G filters \(recipe.filters), blocks \(recipe.blocks)"
    case .studentPaired:
        return "G filters \(recipe.filters), blocks \(recipe.blocks); R width \(recipe.registrationWidth), "
            + "depth \(recipe.registrationDepth)"
    }
}

extension TrainingImage {
    func metricImage() throws -> MetricImage {
        try MetricImage(width: width, height: height, channels: channels, bytes: pixels)
    }
}

extension Tensor {
    /// Channel 0 of [N, C, H, W] as [N, 1, H, W] (z stored as 3 equal channels → its gray plane).
    func sliceFirstChannel() throws -> Tensor {
        let (n, c, h, w) = try nchw("sliceFirstChannel")
        let plane = h * w
        var out = [Float](repeating: 0, count: n * plane)
        withUnsafeBufferPointer { v in
            for i in 0..<n { for p in 0..<plane { out[i * plane + p] = v[i * c * plane + p] } }
        }
        return try Tensor(shape: [n, 1, h, w], scalars: out)
    }
}
