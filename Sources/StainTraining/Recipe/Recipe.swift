import StainCore
import StainModels

/// A training recipe: what to train, on which data, with which sizes, losses, schedule and seed.
///
/// Recipes are YAML text files (`recipes/*.yaml`), parsed and checked by `RecipeParser` against the field table in
/// `RecipeFields` — the one place where every key, its type, range, default and meaning is declared. Paths in a
/// recipe are relative to the recipe file.
public struct Recipe: Sendable, Equatable {
    /// What a recipe trains. The kind decides which keys a recipe may have.
    public enum Kind: String, Sendable, CaseIterable {
        /// The teacher colorizer G_t: predicts ab from L on the bright-field set (gray → colour pairs).
        case teacher
        /// The student G distilled from a frozen teacher on unpaired dark-field / bright-field sets.
        case studentUnpaired = "student-unpaired"
        /// The student on paired-but-misaligned sets, with Learning-to-Align (registration net R + warp).
        case studentPaired = "student-paired"

        public var isStudent: Bool { self != .teacher }
    }

    /// How the enhanced images z are made when a data set has no `trainC`/`testC` folder.
    public enum Enhancement: String, Sendable, CaseIterable {
        /// The paper's inverse histogram matching against the bright-field set: z = c_b⁻¹(1 − c_d(x)).
        case inverse
        /// Luma standardised to the bright-field set's mean and deviation, inverted.
        case zscore
        /// Plain luma of x, no enhancement.
        case none
    }

    /// Validation metric that selects the best checkpoint.
    public enum Metric: String, Sendable, CaseIterable {
        case psnr, ssim
    }

    public var file: String
    public var kind: Kind
    public var description: String

    // data
    public var dataRoot: String
    public var enhancement: Enhancement
    /// Whether the data set's own trainC/testC are z (false: z is made with `enhancement` even when they exist).
    public var datasetZ: Bool
    public var crop: Int
    public var jitter: Bool
    public var dihedral: Bool

    // model
    public var filters: Int
    public var blocks: Int
    public var discriminatorFilters: Int
    public var width: Int
    public var teacherWeights: String?
    public var initWeights: String?

    // optimiser and schedule
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epochs: Int
    public var decayAfter: Int

    // losses
    public var adversarialWeight: Double
    public var distillationWeight: Double
    public var cycleWeight: Double
    public var correctionWeight: Double
    public var smoothnessWeight: Double
    public var registrationWidth: Int
    public var registrationDepth: Int

    // training
    public var batch: Int
    public var poolSize: Int
    public var seed: Int
    public var teacherCache: Bool

    // outputs
    public var checkpointEvery: Int
    public var validateEvery: Int
    public var panelEvery: Int
    public var bestMetric: Metric

    /// Where each key was written (`section.key` → file position or command line), for later checks such as a
    /// weights file that does not fit the architecture.
    public var locations: [String: SourceLocation] = [:]
    /// The recipe text and the `--set` overrides it was read with (kept in the run folder for `--resume`).
    public var text: String = ""
    public var overrides: [String] = []

    /// R's shape: the paper's is width 64, depth 7 (down 32, 64 ×6; up 64 ×6, 32; 3 bottleneck blocks).
    public var registrationConfig: RegistrationConfig {
        .scaled(width: registrationWidth, depth: registrationDepth)
    }

    /// The position of `key`, or the recipe file itself.
    public func location(_ key: String) -> SourceLocation {
        locations[key] ?? SourceLocation(file: file, line: 1, column: 1)
    }
}
