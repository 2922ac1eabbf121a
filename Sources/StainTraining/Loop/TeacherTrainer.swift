import NeuralKernels
import StainModels

/// The teacher colorizer G_t trained on gray → colour pairs made from the bright-field set: the network sees the
/// lightness of y as (l, 0, 0) and predicts ab; the loss is L1 between its ab and y's ab, both divided by 110
/// (the normalisation of the colour wrapper). The paper states "L1 in LAB"; its teacher code is not public, so
/// this is StainKit's reading (docs/paper.md, "Teacher").
public final class TeacherTrainer: Trainer {
    public let colorizer: SIGGRAPHColorizer
    let optimizer: Adam

    public init(recipe: Recipe) throws {
        colorizer = SIGGRAPHColorizer(width: recipe.width, seed: UInt64(recipe.seed))
        if let path = recipe.initWeights {
            try colorizer.load(StateDict.load(path), stripModulePrefix: true)
        }
        colorizer.setRequiresGrad(true)
        optimizer = Adam(parameters: colorizer.parameters, lr: Float(recipe.learningRate), beta1: Float(recipe.beta1),
                         beta2: Float(recipe.beta2))
    }

    public var lossNames: [String] { ["l1_ab"] }

    /// (l, 0, 0) input and the normalised ab target of RGB images y in [−1, 1].
    static func pairs(_ y: Tensor) throws -> (input: Tensor, target: Tensor) {
        let (n, _, h, w) = try y.nchw("teacher data")
        let l = try SIGGRAPHColorizer.lightness(y)
        var ab = Tensor(uninitializedShape: [n, 2, h, w])
        y.withUnsafePointer { rgb in
            ab.withUnsafeMutablePointer { out in
                LabColor.normalizedAB(rgb: rgb, into: out, batch: n, pixels: h * w)
            }
        }
        let zero = Tensor(zeros: l.shape)
        return (try Kernels.concatChannels([l, zero, zero]), ab)
    }

    public func step(_ batch: Batch) throws -> [Double] {
        optimizer.zeroGrad()
        let (input, target) = try Self.pairs(batch.y)
        let ab = try colorizer.network(Variable(input))
        let loss = try l1Loss(ab, Variable(target))
        try loss.backward()
        try optimizer.step()
        return [Double(loss.value.item)]
    }

    public func setLearningRate(_ lr: Double) { optimizer.lr = Float(lr) }

    public func state() -> StateDict {
        var dict = StateDict()
        dict.merge(colorizer.stateDict(), prefix: "G_t")
        optimizer.save(into: &dict, prefix: "opt.G_t")
        return dict
    }

    public func load(state: StateDict) throws {
        try colorizer.load(state.section("G_t"))
        try optimizer.load(from: state, prefix: "opt.G_t")
    }

    public func predict(_ item: TestItem) throws -> TrainingImage {
        TrainingImage.from(tensor: try colorizer.forward(item.teacherInput()))
    }

    public func teacherPrediction(_ item: TestItem) throws -> TrainingImage? { nil }

    public var exported: (name: String, weights: StateDict, architecture: [String: String]) {
        ("teacher", colorizer.stateDict(), ["network": "SIGGRAPHColorizer", "width": "\(colorizer.width)"])
    }
}
