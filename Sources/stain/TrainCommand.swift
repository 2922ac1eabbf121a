import ArgumentParser
import Dispatch
import Foundation
import NeuralKernels
import StainCore
import StainTraining
import Vips

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the teacher colorizer or the distilled student from a recipe (recipes/*.yaml).",
        discussion: """
            A run folder holds log.csv, validation.csv, panels/, loss-curve.png, checkpoint.safetensors and export/ \
            (the trained network as safetensors + a JSON sidecar). Ctrl-C saves a checkpoint and exits 130 \
            (SIGTERM: 143); \
            --resume RUN_DIR continues exactly where the run stopped. See docs/training.md.
            """)

    @Argument(help: "Recipe file (YAML). Not needed with --resume.")
    var recipe: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a recipe key (section.key=value).", valueName: "k=v"))
    var overrides: [String] = []

    @Option(help: "Run folder to create (default: runs/<recipe name>).")
    var out: String?

    @Option(help: "Continue the run in this folder from its last checkpoint.")
    var resume: String?

    @Option(parsing: ThreadCount.parsing, help: "BLAS threads (default: all cores).")
    var threads: Int?

    @Option(help: "Progress on stderr: bar (default on a terminal), json (JSON lines), lines (one line per 10 steps), none.")
    var progress: ProgressStyle?

    @Option(help: .hidden) var stopAfter: Int?

    @Flag(help: "Print every recipe key (markdown table) and exit.")
    var listKeys = false

    func validate() throws {
        if listKeys { return }
        if resume == nil && recipe == nil { throw ValidationError("give a recipe file, or --resume RUN_DIR") }
        if resume != nil && (recipe != nil || !overrides.isEmpty || out != nil) {
            throw ValidationError("--resume continues a run as it was started: no recipe, --set or --out with it")
        }
        try ThreadCount.check(threads)
    }

    func run() throws {
        if listKeys {
            print(RecipeField.markdownTable, terminator: "")
            return
        }
        try Failure.guarded {
            let threadCount = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
            // One level of parallelism: BLAS threads do the compute; libvips decodes small images on one worker.
            Vips.setConcurrency(1)
            ComputeThreads.set(threadCount)
            // Each step allocates the same large tensors again: keep freed blocks mapped (no page faults per step).
            MemoryPolicy.keepFreedMemory()
            let style = ProgressStyle.resolved(progress, otherwise: .lines)
            let parsed: Recipe
            let directory: String
            if let resume {
                parsed = try TrainingRun.recipe(resuming: resume)
                directory = resume
            } else if let recipe {
                parsed = try RecipeParser.load(path: recipe, overrides: overrides)
                let name = ((recipe as NSString).lastPathComponent as NSString).deletingPathExtension
                directory = out ?? "runs/\(name)"
                try OutputFiles.checkLocation(directory)
            } else {
                throw ValidationError("give a recipe file, or --resume RUN_DIR")
            }
            let run = try TrainingRun(recipe: parsed, directory: directory, resume: resume != nil) { message in
                printError(message)
            }
            printError("\(resume != nil ? "resuming" : "training") \(parsed.kind.rawValue) in \(directory): "
                       + "\(run.totalSteps) steps (\(parsed.epochs) epochs × \(run.stepsPerEpoch)), from step \(run.step)")
            let stop = StopFlag()
            let received = ReceivedSignal()
            let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler {
                    received.set(sig)
                    printError("\ninterrupted: saving a checkpoint after this step")
                    stop.stop()
                }
                source.resume()
                return source
            }
            defer { for s in signals { s.cancel() } }
            let reporter = TrainProgressReporter(style: style, start: run.step)
            do {
                try run.run(stop: stop, stopAfter: stopAfter) { reporter.report($0) }
            } catch let interrupted as TrainingInterrupted {
                reporter.finish()
                printError(interrupted.description)
                throw ExitCode(received.value == SIGTERM ? 143 : 130)
            }
            reporter.finish()
            print("trained \(parsed.kind.rawValue): \(directory)/export")
        }
    }
}

/// The signal that stopped a run (SIGINT → exit 130, SIGTERM → 143, as for `stain run`).
final class ReceivedSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32 = SIGINT
    func set(_ value: Int32) { lock.lock(); signal = value; lock.unlock() }
    var value: Int32 { lock.lock(); defer { lock.unlock() }; return signal }
}

/// Renders training progress with the machinery `stain run` uses (`ProgressOutput`): a bar with ETA and the current
/// losses on a terminal, JSON lines, or plain lines.
final class TrainProgressReporter {
    let style: ProgressStyle
    let started = Date()
    let startStep: Int
    var lastLine = Date.distantPast

    init(style: ProgressStyle, start: Int) {
        self.style = style
        startStep = start
    }

    func report(_ p: TrainingProgress) {
        let elapsed = Date().timeIntervalSince(started)
        let done = max(p.step - startStep, 1)
        let eta = elapsed / Double(done) * Double(p.totalSteps - p.step)
        let losses = p.losses.map { String(format: "%@ %.4f", $0.name, $0.value) }.joined(separator: "  ")
        switch style {
        case .none: return
        case .json:
            var object: [String: Any] = ["event": "step", "step": p.step, "total": p.totalSteps, "epoch": p.epoch,
                                         "lr": p.learningRate, "seconds": p.stepSeconds, "eta_s": eta.rounded()]
            for (name, value) in p.losses { object[name] = value }
            if let note = p.note { object["note"] = note }
            ProgressOutput.json(object)
        case .bar:
            ProgressOutput.bar("step \(p.step)/\(p.totalSteps)", fraction: Double(p.step) / Double(max(p.totalSteps, 1)),
                               elapsed: elapsed, eta: eta, detail: losses)
            if let note = p.note { ProgressOutput.line("\n\(note)") }
        case .lines:
            if p.note != nil || Date().timeIntervalSince(lastLine) > 10 || p.step == p.totalSteps {
                lastLine = Date()
                ProgressOutput.line("step \(p.step)/\(p.totalSteps)  epoch \(p.epoch)  ETA \(ProgressOutput.clock(eta))  \(losses)"
                                    + (p.note.map { "\n\($0)" } ?? ""))
            }
        }
    }

    func finish() { if style == .bar { FileHandle.standardError.write(Data("\n".utf8)) } }
}
