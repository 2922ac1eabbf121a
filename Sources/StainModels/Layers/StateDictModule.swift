import NeuralKernels

/// A network whose parameters are named like the reference PyTorch `state_dict()`.
public protocol StateDictModule: AnyObject {
    /// Every parameter, in the reference state-dict order; each `Variable.name` is its key.
    var parameters: [Variable] { get }
}

extension StateDictModule {
    /// Total parameter elements.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The current weights, keyed and ordered like the reference state_dict.
    public func stateDict() -> StateDict {
        StateDict(parameters.map { ($0.name ?? "", $0.value) })
    }

    /// Every parameter's name (its state-dict key) and shape, in state-dict order.
    public var parameterShapes: ParameterShapes {
        ParameterShapes(parameters.map { (name: $0.name ?? "", shape: $0.value.shape) })
    }

    /// Loads every parameter from `dict`. Throws `ModelError.missingTensor` / `.shapeMismatch` naming the tensor;
    /// with `strict`, a tensor the network does not have throws `.unexpectedTensor` (the rules of
    /// `ParameterShapes.check`). Nothing is changed on error.
    public func load(_ dict: StateDict, strict: Bool = true) throws {
        try parameterShapes.check(dict.shapes, strict: strict)
        let parameters = self.parameters
        let values = try parameters.map { p in
            guard let t = dict[p.name ?? ""] else { throw ModelError.missingTensor(name: p.name ?? "") }
            return t
        }
        for (p, t) in zip(parameters, values) { p.value = t }
    }

    /// Loads a safetensors file (see `load(_:strict:)`).
    public func load(contentsOf path: String, strict: Bool = true) throws {
        try load(StateDict.load(path), strict: strict)
    }

    /// Saves the weights as safetensors (F32, atomic).
    public func save(to path: String) throws {
        try stateDict().save(path)
    }

    /// Freezes (false) or unfreezes (true) every parameter.
    public func setRequiresGrad(_ on: Bool) {
        for p in parameters { p.requiresGrad = on }
    }

    /// Drops the accumulated gradients.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }

    /// Replaces every parameter by `DeterministicWeights` (for parity tests against PyTorch).
    public func loadDeterministicWeights() {
        for p in parameters {
            let shape = p.value.shape
            let values = DeterministicWeights.values(name: p.name ?? "", shape: shape)
            p.value = (try? Tensor(shape: shape, scalars: values)) ?? p.value
        }
    }
}

extension StateDict {
    /// A copy whose keys lose `prefix` where they have it (e.g. `module.` from DataParallel checkpoints).
    public func strippingPrefix(_ prefix: String) -> StateDict {
        var out = StateDict(stripping(prefix, from: items))
        out.metadata = metadata
        return out
    }
}
