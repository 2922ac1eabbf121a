/// Every recipe key, declared once: section, name, type (with range or choices), default, the recipe kinds that use
/// it, what it means, and where its value goes in `Recipe`. Parsing, validation, `stain train --help-recipe` and the
/// recipe table in docs/training.md all come from this table.
public struct RecipeField: Sendable {
    public enum ValueType: Sendable {
        case int(ClosedRange<Int>)
        case float(ClosedRange<Double>)
        case bool
        case string
        /// A path relative to the recipe file; `folder` says whether it must be a folder (else a file).
        case path(folder: Bool)
        case choice([String])

        var summary: String {
            switch self {
            case .int(let r): return "integer \(r.lowerBound)…\(r.upperBound)"
            case .float(let r): return "number \(r.lowerBound)…\(r.upperBound)"
            case .bool: return "true/false"
            case .string: return "text"
            case .path(let folder): return folder ? "folder" : "file"
            case .choice(let c): return "one of " + c.joined(separator: ", ")
            }
        }
    }

    /// A parsed value.
    public enum Value: Sendable, Equatable {
        case int(Int), float(Double), bool(Bool), string(String)
    }

    public let section: String
    public let name: String
    public let type: ValueType
    /// nil: required.
    public let defaultValue: Value?
    public let kinds: Set<Recipe.Kind>
    public let doc: String
    let apply: @Sendable (inout Recipe, Value) -> Void

    public var key: String { "\(section).\(name)" }
    public var isRequired: Bool { defaultValue == nil }

    init(_ section: String, _ name: String, _ type: ValueType, default value: Value?, kinds: Set<Recipe.Kind> = all,
         _ doc: String, apply: @escaping @Sendable (inout Recipe, Value) -> Void) {
        self.section = section
        self.name = name
        self.type = type
        defaultValue = value
        self.kinds = kinds
        self.doc = doc
        self.apply = apply
    }

    static let all = Set(Recipe.Kind.allCases)
    static let student: Set<Recipe.Kind> = [.studentUnpaired, .studentPaired]
    static let paired: Set<Recipe.Kind> = [.studentPaired]
    static let teacher: Set<Recipe.Kind> = [.teacher]
}

extension RecipeField.Value {
    var int: Int { if case .int(let v) = self { return v } else { return 0 } }
    var double: Double {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        default: return 0
        }
    }
    var bool: Bool { if case .bool(let v) = self { return v } else { return false } }
    var string: String { if case .string(let v) = self { return v } else { return "" } }
}

extension RecipeField {
    /// The table. Defaults are the paper's code (docs/paper.md-derived; see docs/paper.md and docs/training.md).
    public static let table: [RecipeField] = [
        RecipeField("data", "root", .path(folder: true), default: nil,
                    "data set folder: trainA (dark-field x), trainB (bright-field y), optional trainC (enhanced z), "
                    + "testA/testB[/testC] for validation") { $0.dataRoot = $1.string },
        RecipeField("data", "enhancement", .choice(Recipe.Enhancement.allCases.map(\.rawValue)),
                    default: .string("inverse"), kinds: student,
                    "how z is made when trainC/testC are absent or data.dataset-z is false (cached in the run folder)") {
            $0.enhancement = Recipe.Enhancement(rawValue: $1.string) ?? .inverse
        },
        RecipeField("data", "dataset-z", .bool, default: .bool(true), kinds: student,
                    "use the data set's trainC/testC as z when present; false: make z with data.enhancement even "
                    + "then (the enhancement ablations)") { $0.datasetZ = $1.bool },
        RecipeField("data", "crop", .int(0...8192), default: .int(0),
                    "random square crop in pixels, a multiple of 8 (0: whole images, as the paper)") { $0.crop = $1.int },
        RecipeField("data", "jitter", .bool, default: .bool(true),
                    "independent RandomAffine jitter (±1°, ±2 % shift, ±2 % scale, nearest, fill 0) per image") {
            $0.jitter = $1.bool
        },
        RecipeField("data", "dihedral", .bool, default: .bool(true),
                    "one of the paper's 8 flip/rotate modes per sample") { $0.dihedral = $1.bool },

        RecipeField("model", "filters", .int(1...1024), default: .int(64), kinds: student,
                    "filters of the student G and backward F (ngf)") { $0.filters = $1.int },
        RecipeField("model", "blocks", .int(0...64), default: .int(9), kinds: student,
                    "residual blocks of G and F") { $0.blocks = $1.int },
        RecipeField("model", "discriminator-filters", .int(1...1024), default: .int(64), kinds: student,
                    "filters of the PatchGAN discriminators D_A and D_B (ndf)") { $0.discriminatorFilters = $1.int },
        RecipeField("model", "registration-width", .int(2...512), default: .int(64), kinds: paired,
                    "channels of R's levels (paper 64; the first down and last up level have half)") {
            $0.registrationWidth = $1.int
        },
        RecipeField("model", "registration-depth", .int(1...10), default: .int(7), kinds: paired,
                    "down/up levels of R (paper 7; images must be at least 2^(depth+1) pixels)") {
            $0.registrationDepth = $1.int
        },
        RecipeField("model", "width", .int(1...512), default: .int(64), kinds: teacher,
                    "channels of the colorizer's first block (paper 64; later blocks 2×, 4×, 8×)") { $0.width = $1.int },
        RecipeField("model", "teacher", .path(folder: false), default: nil, kinds: student,
                    "trained teacher colorizer weights (safetensors; its width is read from the file)") {
            $0.teacherWeights = $1.string
        },
        RecipeField("model", "init", .path(folder: false), default: .string(""),
                    "optional weights to start from (G for a student, the colorizer for a teacher)") {
            $0.initWeights = $1.string.isEmpty ? nil : $1.string
        },

        RecipeField("optimizer", "lr", .float(1e-8...1), default: .float(1e-4),
                    "Adam learning rate of every optimiser") { $0.learningRate = $1.double },
        RecipeField("optimizer", "beta1", .float(0...0.999999), default: .float(0.5), "Adam β1") { $0.beta1 = $1.double },
        RecipeField("optimizer", "beta2", .float(0...0.999999), default: .float(0.999), "Adam β2") { $0.beta2 = $1.double },

        RecipeField("schedule", "epochs", .int(1...100_000), default: .int(300),
                    "epochs (an epoch = max(|trainA|, |trainB|) samples / batch)") { $0.epochs = $1.int },
        RecipeField("schedule", "decay-after", .int(0...100_000), default: .int(200),
                    "after epoch D (0-based) ends, lr ← lr0·(E − e)/(E − D): constant, then linear decay") {
            $0.decayAfter = $1.int
        },

        RecipeField("loss", "adversarial", .float(0...1e6), default: .float(1), kinds: student,
                    "weight of the LSGAN terms for G") { $0.adversarialWeight = $1.double },
        RecipeField("loss", "distillation", .float(0...1e6), default: .float(5), kinds: student,
                    "λ1: weight of L_kd = L1(G_t(z), G(x, z)) (paired default: 2)") { $0.distillationWeight = $1.double },
        RecipeField("loss", "cycle", .float(0...1e6), default: .float(80), kinds: student,
                    "λ2: weight of L_cyc = L1(F(G(x, z)), x) (paired default: 10)") { $0.cycleWeight = $1.double },
        RecipeField("loss", "correction", .float(0...1e6), default: .float(20), kinds: paired,
                    "λ3: weight of L_con = L1(warp(ŷ, R(ŷ, y)), y)") { $0.correctionWeight = $1.double },
        RecipeField("loss", "smoothness", .float(0...1e6), default: .float(10), kinds: paired,
                    "λ4: weight of the flow smoothness mean|∂xφ|² + mean|∂yφ|²") { $0.smoothnessWeight = $1.double },

        RecipeField("train", "batch", .int(1...256), default: .int(1), "images per step") { $0.batch = $1.int },
        RecipeField("train", "pool-size", .int(0...10_000), default: .int(50), kinds: student,
                    "replay pool of generated images shown to each D (0: none)") { $0.poolSize = $1.int },
        RecipeField("train", "seed", .int(0...Int(Int32.max)), default: .int(0),
                    "seed of initial weights, shuffling, augmentation and pools") { $0.seed = $1.int },
        RecipeField("train", "teacher-cache", .bool, default: .bool(true), kinds: student,
                    "compute G_t(z) once per image and augment the result with z's transform (false: every step, "
                    + "as the paper code)") { $0.teacherCache = $1.bool },

        RecipeField("output", "checkpoint-every", .int(1...10_000_000), default: .int(500),
                    "steps between checkpoints (one is also written at the end and on Ctrl-C)") {
            $0.checkpointEvery = $1.int
        },
        RecipeField("output", "validate-every", .int(0...10_000_000), default: .int(500),
                    "steps between validations on the test split (0: only at the end)") { $0.validateEvery = $1.int },
        RecipeField("output", "panel-every", .int(0...10_000_000), default: .int(500),
                    "steps between sample panels and loss-curve pictures (0: only at the end)") { $0.panelEvery = $1.int },
        RecipeField("output", "best-metric", .choice(Recipe.Metric.allCases.map(\.rawValue)), default: .string("psnr"),
                    "validation metric that picks the best checkpoint") {
            $0.bestMetric = Recipe.Metric(rawValue: $1.string) ?? .psnr
        },
    ]

    static let sections = ["data", "model", "optimizer", "schedule", "loss", "train", "output"]
}

extension RecipeField {
    /// The recipe reference table (markdown), as docs/training.md shows it.
    public static var markdownTable: String {
        var lines = ["| key | type | default | used by | meaning |", "|---|---|---|---|---|"]
        for field in table {
            let value: String
            switch field.defaultValue {
            case nil: value = "required"
            case .int(let v)?: value = "\(v)"
            case .float(let v)?: value = "\(v)"
            case .bool(let v)?: value = "\(v)"
            case .string(let v)?: value = v.isEmpty ? "—" : v
            }
            let kinds = field.kinds.count == Recipe.Kind.allCases.count ? "all"
                : Recipe.Kind.allCases.filter { field.kinds.contains($0) }.map(\.rawValue).joined(separator: ", ")
            lines.append("| `\(field.key)` | \(field.type.summary) | \(value) | \(kinds) | \(field.doc) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
