import ArgumentParser
import CBLAS
import Foundation
import NeuralKernels
import StainModels
import StainTraining

/// `stain bench`: speed of the student generator, for side-by-side runs with scripts/bench/pytorch_generator.py.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure network speed (compare with scripts/bench/pytorch_generator.py in the same run).",
        subcommands: [BenchGeneratorCommand.self, BenchTrainStepCommand.self, BenchColorizerCommand.self,
                      BenchTeacherCacheCommand.self,
                      BenchCountCommand.self])
}

/// Options shared by the bench subcommands.
struct BenchOptions: ParsableArguments {
    @Option(help: "Input height and width (a multiple of 4).")
    var size: Int = 256

    @Option(help: "Timed runs after one warm-up; the median is printed.")
    var runs: Int = 5

    @Option(parsing: ThreadCount.parsing, help: "Compute threads (OpenBLAS and the kernels' own loops).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard size >= 16, size % 4 == 0 else { throw ValidationError("--size must be a multiple of 4, at least 16") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        try ThreadCount.check(threads)
    }
}

struct BenchGeneratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generator",
        abstract: "Forward pass of G (batch 1, 4→3, ngf 64, 9 blocks, random init): median seconds and GFLOP/s.",
        discussion: "GFLOP/s use the true-multiply count (2 × real MACs, ConvT on its input grid): 99.51 GFLOP "
            + "per pass at 256². --layers also times each distinct layer alone.")

    @OptionGroup var options: BenchOptions

    @Flag(help: "Also print a per-layer breakdown (median seconds of each conv / norm alone, times its count).")
    var layers = false

    @Option(help: "First-layer filters of G (paper: 64).")
    var filters = ResnetGeneratorConfig.student.filters

    @Option(help: "Residual blocks of G (paper: 9).")
    var blocks = ResnetGeneratorConfig.student.blocks

    @Option(help: "Also save the random-init G it measured as safetensors (scripts/bench/slide-throughput streams a slide with it).")
    var saveWeights: String?

    func validate() throws {
        guard (1...1024).contains(filters) else { throw ValidationError("--filters must be 1…1024, got \(filters)") }
        guard (0...64).contains(blocks) else { throw ValidationError("--blocks must be 0…64, got \(blocks)") }
    }

    func run() throws {
        ComputeThreads.set(options.threads)
        let config = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: filters, blocks: blocks)
        let g = try ResnetGenerator(config: config, seed: 0)
        if let saveWeights { try g.save(to: saveWeights) }
        let x = randomInput([1, config.inputChannels, options.size, options.size], seed: 1)
        let seconds = try Benchmark.median(repeats: options.runs) { _ = try g.forward(x) }
        let gflop = Double(try config.cost(height: options.size, width: options.size).flops(.trueMultiplies)) / 1e9
        print(String(format: "generator size=%d filters=%d blocks=%d threads=%d runs=%d median_s=%.4f gflops=%.1f "
                     + "(true-multiply %.2f GFLOP/pass) impl=stainkit blas=%@",
                     options.size, filters, blocks, options.threads, options.runs, seconds, gflop / seconds, gflop,
                     blasCore()))
        if layers { try printBreakdown(config: config, total: seconds) }
    }

    /// Times every distinct layer of G alone and prints them sorted by their share of the pass.
    private func printBreakdown(config: ResnetGeneratorConfig, total: Double) throws {
        let cost = try config.cost(height: options.size, width: options.size)
        var rows: [(name: String, count: Int, seconds: Double, gflop: Double)] = []
        var seen: [String: Int] = [:]
        for layer in cost.layers {
            let kind = layer.kind == .convolution ? "conv" : "convT"
            let key = "\(kind) \(layer.inChannels)→\(layer.outChannels) k\(layer.kernelHeight) "
                + "\(layer.inputHeight)²→\(layer.outputHeight)²"
            if let i = seen[key] { rows[i].count += 1; continue }
            let reps = max(3, options.runs)
            let t: Double
            switch layer.kind {
            case .convolution:
                let stride = layer.outputHeight < layer.inputHeight ? 2 : 1
                // Reflection-padded layers are timed with equivalent zero padding (same GEMM work).
                t = try Benchmark.conv2d(c: layer.inChannels, h: layer.inputHeight, w: layer.inputWidth,
                                         o: layer.outChannels, kernel: layer.kernelHeight, stride: stride,
                                         padding: layer.kernelHeight / 2, repeats: reps)
            case .transposedConvolution:
                t = try Benchmark.convTranspose2d(cin: layer.inChannels, h: layer.inputHeight, w: layer.inputWidth,
                                                  cout: layer.outChannels, kernel: layer.kernelHeight, repeats: reps)
            }
            seen[key] = rows.count
            rows.append((key, 1, t, Double(layer.multiplyAccumulates(.trueMultiplies)) * 2 / 1e9))
        }
        let f = config.filters
        for (c, s) in [(f, options.size), (2 * f, options.size / 2), (4 * f, options.size / 4)] {
            let count = c == 4 * f ? 2 * config.blocks + 1 : 2
            let t = try Benchmark.normAndPad(c: c, h: s, w: s, repeats: max(3, options.runs))
            rows.append(("instance norm + ReLU \(c) ch \(s)²", count, t.norm, 0))
            rows.append(("reflect pad \(c) ch \(s)²", c == 4 * f ? 2 * config.blocks : 0, t.pad, 0))
        }
        let listed = rows.filter { $0.count > 0 }.sorted { Double($0.count) * $0.seconds > Double($1.count) * $1.seconds }
        var sum = 0.0
        for row in listed {
            let all = Double(row.count) * row.seconds
            sum += all
            let rate = row.gflop > 0 ? String(format: "%7.1f GFLOP/s", row.gflop / row.seconds) : "               "
            print(String(format: "  %-50@ ×%2d  %8.4f s each  %8.4f s total  %5.1f %%  %@", row.name as NSString,
                         row.count, row.seconds, all, 100 * all / total, rate))
        }
        print(String(format: "  sum of parts (each timed alone) %.4f s; whole pass %.4f s", sum, total))
    }
}

struct BenchTrainStepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "One training step of a recipe at the paper's sizes (batch 1); median seconds.",
        discussion: "student: the whole unpaired student step (G+F with LSGAN, cycle and distillation losses, "
            + "Adam; then D_A and D_B with replay pools, Adam), the teacher's target cached as `stain train` does. "
            + "teacher: the colorizer's L1-on-ab step. gf: only G+F with two L1 losses (the earlier benchmark). "
            + "Compare with scripts/bench/pytorch_generator.py train-step --step … in the same run.")

    enum Step: String, ExpressibleByArgument { case student, teacher, gf }

    @OptionGroup var options: BenchOptions

    @Option(help: "Which step: student, teacher or gf.")
    var step: Step = .student

    func run() throws {
        ComputeThreads.set(options.threads)
        MemoryPolicy.keepFreedMemory()  // as `stain train` does
        let s = options.size
        let x = randomInput([1, 3, s, s], seed: 2), z = randomInput([1, 1, s, s], seed: 5)
        let y = randomInput([1, 3, s, s], seed: 3), target = randomInput([1, 3, s, s], seed: 4)
        let body: () throws -> Void
        switch step {
        case .student:
            let recipe = Recipe.defaults(file: "bench", kind: .studentUnpaired)
            let trainer = try StudentTrainer(recipe: recipe, teacher: SIGGRAPHColorizer(width: 1))
            let batch = Batch(x: x, z: z, y: y, teacher: target, items: [0], zAugmentations: [.identity])
            body = { _ = try trainer.step(batch) }
        case .teacher:
            let trainer = try TeacherTrainer(recipe: Recipe.defaults(file: "bench", kind: .teacher))
            let batch = Batch(x: nil, z: nil, y: y, teacher: nil, items: [], zAugmentations: [])
            body = { _ = try trainer.step(batch) }
        case .gf:
            let g = try ResnetGenerator(config: .student, seed: 0)
            let f = try ResnetGenerator(config: .backward, seed: 1)
            let xz = Variable(try Kernels.concatChannels([x, z])), xv = Variable(x), yv = Variable(y)
            let adam = Adam(parameters: g.parameters + f.parameters, lr: 1e-4, beta1: 0.5, beta2: 0.999)
            body = {
                adam.zeroGrad()
                let fake = try g(xz)
                let loss = try add(l1Loss(f(fake), xv), l1Loss(fake, yv))
                try loss.backward()
                try adam.step()
            }
        }
        let seconds = try Benchmark.median(repeats: options.runs, body)
        print(String(format: "train-step step=%@ size=%d threads=%d runs=%d median_s=%.4f impl=stainkit blas=%@",
                     step.rawValue, s, options.threads, options.runs, seconds, blasCore()))
    }
}

struct BenchColorizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colorizer",
        abstract: "Forward pass of the teacher colorizer incl. its LAB wrapper (batch 1, random init): median seconds "
            + "and GFLOP/s (true multiplies, without the unused model_class head).")

    @OptionGroup var options: BenchOptions

    func run() throws {
        guard options.size % 8 == 0 else { throw ValidationError("--size must be a multiple of 8 for the colorizer") }
        ComputeThreads.set(options.threads)
        let c = SIGGRAPHColorizer(seed: 0)
        let x = randomInput([1, 3, options.size, options.size], seed: 1)
        let seconds = try Benchmark.median(repeats: options.runs) { _ = try c.forward(x) }
        let cost = try SIGGRAPHColorizerShape.cost(height: options.size, width: options.size)
        let computed = cost.layers.filter { $0.name != "model_class.0" }
        let gflop = Double(NetworkCost(layers: computed).flops(.trueMultiplies)) / 1e9
        print(String(format: "colorizer size=%d threads=%d runs=%d median_s=%.4f gflops=%.1f "
                     + "(true-multiply %.2f GFLOP/pass) impl=stainkit blas=%@",
                     options.size, options.threads, options.runs, seconds, gflop / seconds, gflop, blasCore()))
    }
}

struct BenchCountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Parameters and FLOPs of the paper's networks (paper convention: 2 × MACs, ConvT on the output grid; "
            + "and true multiplies).")

    @Option(help: "Input height and width.")
    var size: Int = 256

    @Option(help: "Filters of G and F (ngf; paper 64, the small recipes 16).")
    var filters: Int = 64

    @Option(help: "Residual blocks of G and F (paper 9, the small recipes 3).")
    var blocks: Int = 9

    @Option(help: "Filters of the discriminators (ndf; paper 64).")
    var discriminatorFilters: Int = 64

    @Option(help: "Width of the teacher colorizer (paper 64).")
    var colorizerWidth: Int = SIGGRAPHColorizerShape.paperWidth

    @Option(help: "Width of R (paper 64).")
    var registrationWidth: Int = 64

    @Option(help: "Levels of R (paper 7; the image must be at least 2^(depth+1) pixels).")
    var registrationDepth: Int = 7

    func run() throws {
        let student = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: filters, blocks: blocks)
        let backward = ResnetGeneratorConfig(inputChannels: 3, outputChannels: 3, filters: filters, blocks: blocks)
        let registration = RegistrationConfig.scaled(width: registrationWidth, depth: registrationDepth)
        let rows: [(String, () throws -> NetworkCost)] = [
            ("G (student, 4→3)", { try student.cost(height: size, width: size) }),
            ("F (backward, 3→3)", { try backward.cost(height: size, width: size) }),
            ("D (PatchGAN)", { try PatchDiscriminatorConfig(filters: discriminatorFilters).cost(height: size, width: size) }),
            ("teacher colorizer", { try SIGGRAPHColorizerShape.cost(height: size, width: size, channels: colorizerWidth) }),
            ("R (registration)", { try registration.cost(height: size, width: size) }),
        ]
        print("network @\(size)²          params        FLOPs (paper)   FLOPs (true)")
        for (name, make) in rows {
            do {
                let c = try make()
                print(name.padding(toLength: 22, withPad: " ", startingAt: 0)
                      + NetworkCost.grouped(c.parameterCount).leftPadded(12)
                      + NetworkCost.giga(c.flops(.paper)).leftPadded(16)
                      + NetworkCost.giga(c.flops(.trueMultiplies)).leftPadded(15))
            } catch {
                print(name.padding(toLength: 22, withPad: " ", startingAt: 0) + "  \(CLIErrorText.describe(error))")
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// The OpenBLAS kernel family in use (e.g. `SkylakeX`; `Prescott` means the CPU was not recognised and the slow
/// generic SSE3 kernels run: set OPENBLAS_CORETYPE before starting the process).
private func blasCore() -> NSString {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name) as NSString
}

/// Uniform [−1, 1) values, reproducible from `seed`.
private func randomInput(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, using: &rng)
}
