import NeuralKernels
import StainModels

/// The paper's student (docs/paper.md, "Training, unpaired" and "Training, paired but misaligned"): per step
/// 1. G and F (and R when paired): L = MSE(D_B(ŷ), 1) + MSE(D_A(F(ŷ)), 1) + λ2·L1(F(ŷ), x) + λ1·L1(G_t(z), ŷ)
///    [+ λ3·L1(warp(ŷ, φ), y) + λ4·smooth(φ), φ = R(ŷ, y)] with ŷ = G([x, z]); one Adam on G and F together,
///    stepped before R's own Adam;
/// 2. D_A: MSE(D_A(x), 1) + MSE(D_A(pool_A(F(ŷ))), 0);  3. D_B: MSE(D_B(y), 1) + MSE(D_B(pool_B(ŷ)), 0),
/// each with its own Adam, D losses not halved, the discriminators' outputs averaged over the patch map.
/// Only the half cycle x → G → F → x is used, as in the paper code. A weight of 0 skips its term (ablations).
public final class StudentTrainer: Trainer {
    public let generator: ResnetGenerator
    public let backward: ResnetGenerator
    public let discriminatorA: PatchDiscriminator
    public let discriminatorB: PatchDiscriminator
    public let teacher: SIGGRAPHColorizer
    /// The registration net R of Learning-to-Align (paired recipes).
    public let registration: RegistrationNet?
    let optimizerGF: Adam, optimizerDA: Adam, optimizerDB: Adam, optimizerR: Adam?
    let poolA: ReplayPool, poolB: ReplayPool
    let adversarial: Float, distillation: Float, cycle: Float, correction: Float, smoothness: Float

    /// `teacher`: the trained colorizer (frozen here).
    public init(recipe: Recipe, teacher: SIGGRAPHColorizer) throws {
        let seed = UInt64(recipe.seed)
        generator = try ResnetGenerator(config: ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3,
                                                                      filters: recipe.filters, blocks: recipe.blocks),
                                        seed: seed &+ 1)
        backward = try ResnetGenerator(config: ResnetGeneratorConfig(inputChannels: 3, outputChannels: 3,
                                                                     filters: recipe.filters, blocks: recipe.blocks),
                                       seed: seed &+ 2)
        let d = PatchDiscriminatorConfig(inputChannels: 3, filters: recipe.discriminatorFilters)
        discriminatorA = try PatchDiscriminator(config: d, seed: seed &+ 3)
        discriminatorB = try PatchDiscriminator(config: d, seed: seed &+ 4)
        registration = recipe.kind == .studentPaired
            ? try RegistrationNet(config: recipe.registrationConfig, seed: seed &+ 7) : nil
        if let path = recipe.initWeights { try generator.loadEitherLayout(StateDict.load(path)) }
        self.teacher = teacher
        teacher.setRequiresGrad(false)
        for net in [generator, backward] as [StateDictModule] { net.setRequiresGrad(true) }
        discriminatorA.setRequiresGrad(true)
        discriminatorB.setRequiresGrad(true)
        let (lr, b1, b2) = (Float(recipe.learningRate), Float(recipe.beta1), Float(recipe.beta2))
        optimizerGF = Adam(parameters: generator.parameters + backward.parameters, lr: lr, beta1: b1, beta2: b2)
        optimizerDA = Adam(parameters: discriminatorA.parameters, lr: lr, beta1: b1, beta2: b2)
        optimizerDB = Adam(parameters: discriminatorB.parameters, lr: lr, beta1: b1, beta2: b2)
        registration?.setRequiresGrad(true)
        optimizerR = registration.map { Adam(parameters: $0.parameters, lr: lr, beta1: b1, beta2: b2) }
        poolA = ReplayPool(capacity: recipe.poolSize, seed: seed &+ 5)
        poolB = ReplayPool(capacity: recipe.poolSize, seed: seed &+ 6)
        adversarial = Float(recipe.adversarialWeight)
        distillation = Float(recipe.distillationWeight)
        cycle = Float(recipe.cycleWeight)
        correction = Float(recipe.correctionWeight)
        smoothness = Float(recipe.smoothnessWeight)
    }

    public var lossNames: [String] {
        registration == nil ? ["g_adv_b", "g_adv_a", "cycle", "distillation", "g_total", "d_a", "d_b"]
            : ["g_adv_b", "g_adv_a", "cycle", "distillation", "correction", "smoothness", "g_total", "d_a", "d_b"]
    }

    /// G_t(z) for a batch, with z as 3 equal channels (frozen teacher, no graph).
    func teacherTarget(_ z: Tensor) throws -> Tensor {
        try withoutGrad { try teacher.forward(Kernels.concatChannels([z, z, z])) }
    }

    public func step(_ batch: Batch) throws -> [Double] {
        guard let xTensor = batch.x, let zTensor = batch.z else {
            throw TensorError.invalidArgument(op: "student step", detail: "batch without dark-field images")
        }
        let x = Variable(xTensor), y = Variable(batch.y)
        let target = Variable(try batch.teacher ?? teacherTarget(zTensor))
        let n = xTensor.shape[0]
        let ones = Variable(Tensor(shape: [n, 1], repeating: 1)), zeros = Variable(Tensor(zeros: [n, 1]))

        // 1. G and F (and R). The discriminators are frozen for this pass: the paper code lets them collect
        //    gradients and zeroes them before their own steps, which gives the same updates at a lower cost.
        optimizerGF.zeroGrad()
        optimizerR?.zeroGrad()
        discriminatorA.setRequiresGrad(false)
        discriminatorB.setRequiresGrad(false)
        let fake = try generator(Variable(Kernels.concatChannels([xTensor, zTensor])))
        let reconstructed = try backward(fake)
        let advB = try mseLoss(discriminatorB(fake), ones)
        let advA = try mseLoss(discriminatorA(reconstructed), ones)
        let cyc = try l1Loss(reconstructed, x)
        let kd = try l1Loss(target, fake)
        var total = try add(scale(add(advB, advA), by: adversarial), scale(cyc, by: cycle))
        if distillation != 0 { total = try add(total, scale(kd, by: distillation)) }
        var alignment: [Variable] = []
        if let registration {
            // Learning-to-Align: R sees (ŷ, y); gradients reach G through the warp and through R's input.
            let flow = try registration(fake, y)
            let corr = try l1Loss(SpatialTransformer.warp(fake, flow: flow), y)
            let smooth = try flowSmoothness(flow)
            total = try add(add(total, scale(corr, by: correction)), scale(smooth, by: smoothness))
            alignment = [corr, smooth]
        }
        try total.backward()
        try optimizerGF.step()
        try optimizerR?.step()
        discriminatorA.setRequiresGrad(true)
        discriminatorB.setRequiresGrad(true)

        // 2. D_A on x (real) and a replayed F(ŷ) (fake).
        optimizerDA.zeroGrad()
        let fakeA = Variable(try poolA.query(reconstructed.value))
        let lossA = try add(mseLoss(discriminatorA(x), ones), mseLoss(discriminatorA(fakeA), zeros))
        try lossA.backward()
        try optimizerDA.step()

        // 3. D_B on y (real) and a replayed ŷ (fake).
        optimizerDB.zeroGrad()
        let fakeB = Variable(try poolB.query(fake.value))
        let lossB = try add(mseLoss(discriminatorB(y), ones), mseLoss(discriminatorB(fakeB), zeros))
        try lossB.backward()
        try optimizerDB.step()

        return ([advB, advA, cyc, kd] + alignment + [total, lossA, lossB]).map { Double($0.value.item) }
    }

    public func setLearningRate(_ lr: Double) {
        // R's optimiser follows the same schedule as the others.
        for optimizer in [optimizerGF, optimizerDA, optimizerDB] + (optimizerR.map { [$0] } ?? []) {
            optimizer.lr = Float(lr)
        }
    }

    public func state() -> StateDict {
        var dict = StateDict()
        dict.merge(generator.stateDict(), prefix: "G")
        dict.merge(backward.stateDict(), prefix: "F")
        dict.merge(discriminatorA.stateDict(), prefix: "D_A")
        dict.merge(discriminatorB.stateDict(), prefix: "D_B")
        optimizerGF.save(into: &dict, prefix: "opt.GF")
        optimizerDA.save(into: &dict, prefix: "opt.D_A")
        optimizerDB.save(into: &dict, prefix: "opt.D_B")
        poolA.save(into: &dict, prefix: "pool.A")
        poolB.save(into: &dict, prefix: "pool.B")
        if let registration, let optimizerR {
            dict.merge(registration.stateDict(), prefix: "R")
            optimizerR.save(into: &dict, prefix: "opt.R")
        }
        return dict
    }

    public func load(state: StateDict) throws {
        try generator.load(state.section("G"))
        try backward.load(state.section("F"))
        try discriminatorA.load(state.section("D_A"))
        try discriminatorB.load(state.section("D_B"))
        try optimizerGF.load(from: state, prefix: "opt.GF")
        try optimizerDA.load(from: state, prefix: "opt.D_A")
        try optimizerDB.load(from: state, prefix: "opt.D_B")
        try poolA.load(from: state, prefix: "pool.A")
        try poolB.load(from: state, prefix: "pool.B")
        if let registration, let optimizerR {
            try registration.load(state.section("R"))
            try optimizerR.load(from: state, prefix: "opt.R")
        }
    }

    public func predict(_ item: TestItem) throws -> TrainingImage {
        TrainingImage.from(tensor: try generator.forward(item.studentInput()))
    }

    public func teacherPrediction(_ item: TestItem) throws -> TrainingImage? {
        TrainingImage.from(tensor: try teacher.forward(item.teacherInput()))
    }

    public var exported: (name: String, weights: StateDict, architecture: [String: String]) {
        ("student-G", generator.stateDict(),
         ["network": "ResnetGenerator", "input-channels": "4", "filters": "\(generator.config.filters)",
          "blocks": "\(generator.config.blocks)"])
    }
}
