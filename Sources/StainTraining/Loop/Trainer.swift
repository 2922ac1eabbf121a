import NeuralKernels

/// What the training loop needs from a recipe kind: one optimisation step on a batch, the learning rate, its whole
/// state for checkpoints, validation, preview images and the exported model. `TrainingRun` does the rest (data,
/// schedule, logs, checkpoints, interrupts), so a new setting (e.g. paired data with Learning-to-Align) is a new
/// `Trainer`, not a new loop.
public protocol Trainer: AnyObject {
    /// Names of the loss terms `step` returns, in order (the columns of log.csv).
    var lossNames: [String] { get }
    /// One optimisation step; returns the loss terms.
    func step(_ batch: Batch) throws -> [Double]
    /// Sets every optimiser's learning rate.
    func setLearningRate(_ lr: Double)
    /// Weights, optimiser moments and any other state (replay pools) as one state dict.
    func state() -> StateDict
    /// Restores `state()`.
    func load(state: StateDict) throws
    /// The model's prediction for one test item, as 8-bit RGB.
    func predict(_ item: TestItem) throws -> TrainingImage
    /// The teacher's prediction for one test item when there is a teacher (for panels).
    func teacherPrediction(_ item: TestItem) throws -> TrainingImage?
    /// The network that is exported, with its state-dict names.
    var exported: (name: String, weights: StateDict, architecture: [String: String]) { get }
}

/// One validation pair: dark-field x (students), enhanced z (students), bright-field target y.
public struct TestItem: @unchecked Sendable {
    public let name: String
    public let x: Tensor?
    public let z: Tensor?
    public let y: Tensor

    /// [1, 4, H, W]: G's input [x, mean(z)].
    func studentInput() throws -> Tensor {
        guard let x, let z else { throw TensorError.invalidArgument(op: "TestItem", detail: "no dark-field input") }
        return try Kernels.concatChannels([x, z])
    }

    /// z as 3 equal channels (the teacher's input), or y for the teacher recipe.
    func teacherInput() throws -> Tensor {
        guard let z else { return y }
        return try Kernels.concatChannels([z, z, z])
    }
}

extension Adam {
    /// Moments and steps under `prefix.` (tensors and metadata).
    func save(into dict: inout StateDict, prefix: String) {
        let own = stateDict()
        for (name, tensor) in own.items { dict["\(prefix).\(name)"] = tensor }
        for (key, value) in own.metadata { dict.metadata["\(prefix).\(key)"] = value }
    }

    func load(from dict: StateDict, prefix: String) throws {
        var own = StateDict()
        for (name, tensor) in dict.items where name.hasPrefix(prefix + ".") {
            own[String(name.dropFirst(prefix.count + 1))] = tensor
        }
        for (key, value) in dict.metadata where key.hasPrefix(prefix + ".") {
            own.metadata[String(key.dropFirst(prefix.count + 1))] = value
        }
        try load(stateDict: own)
    }
}

extension StateDict {
    /// Adds every tensor of `other` under `prefix.`.
    mutating func merge(_ other: StateDict, prefix: String) {
        for (name, tensor) in other.items { self["\(prefix).\(name)"] = tensor }
    }

    /// The tensors under `prefix.`, without it.
    func section(_ prefix: String) -> StateDict {
        var out = StateDict()
        for (name, tensor) in items where name.hasPrefix(prefix + ".") { out[String(name.dropFirst(prefix.count + 1))] = tensor }
        return out
    }
}
