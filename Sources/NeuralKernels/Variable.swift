/// Reverse-mode automatic differentiation.
///
/// A `Variable` holds a tensor value. Leaves are created by you (parameters with `requiresGrad: true`, inputs);
/// every op on Variables (see Ops*.swift) returns a new Variable and, when grad mode is on and some input tracks
/// gradients, records a backward closure and its inputs: this recorded graph is the tape. `backward()` on a result
/// walks it in reverse topological order and accumulates gradients into the `grad` of every leaf with
/// `requiresGrad`. When nothing tracks gradients (inference, or inside `withoutGrad`) nothing is recorded.
///
/// Thread-safety: reading values from several threads is fine; `backward`, optimizer steps and other mutation
/// must happen on one thread at a time.
public final class Variable: @unchecked Sendable {
    /// The current value. Replace it to load weights; optimizers update it in place.
    public var value: Tensor
    /// Accumulated gradient (same shape as `value`), nil until a backward pass reaches this leaf.
    public var grad: Tensor?
    /// Whether gradients are tracked for this variable (leaves: set by you; op results: set when recorded).
    public var requiresGrad: Bool
    /// Optional name (e.g. the state-dict key of a parameter), for messages.
    public var name: String?
    let node: GradNode?

    /// A leaf variable.
    public init(_ value: Tensor, requiresGrad: Bool = false, name: String? = nil) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
        node = nil
    }

    init(_ value: Tensor, node: GradNode) {
        self.value = value
        requiresGrad = true
        self.node = node
    }

    public var shape: [Int] { value.shape }
    /// True for variables created directly (not by an op).
    public var isLeaf: Bool { node == nil }

    /// The value, cut from the graph (no gradient flows through it).
    public func detached() -> Variable { Variable(value) }

    /// Drops the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Runs the backward pass from this variable. `seed` is ∂L/∂self; it defaults to 1 for a one-element result.
    public func backward(seed: Tensor? = nil) throws {
        guard requiresGrad else {
            throw TensorError.invalidArgument(op: "backward", detail: "variable does not require grad")
        }
        let g: Tensor
        if let seed {
            guard seed.shape == value.shape else {
                throw TensorError.shapeMismatch(op: "backward", detail: "seed \(seed.shape) for \(value.shape)")
            }
            g = seed
        } else {
            guard value.count == 1 else {
                throw TensorError.invalidArgument(op: "backward", detail: "seed needed for non-scalar \(value.shape)")
            }
            g = Tensor(shape: value.shape, repeating: 1)
        }
        try runBackward(from: self, seed: g)
    }
}

/// One recorded op: its inputs and the function mapping ∂L/∂output to ∂L/∂inputs
/// (`needs[i]` tells whether input i wants a gradient; return nil where it does not).
final class GradNode {
    let inputs: [Variable]
    let backward: (Tensor, [Bool]) throws -> [Tensor?]
    init(inputs: [Variable], backward: @escaping (Tensor, [Bool]) throws -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
    }
}

/// Global gradient recording switch, scoped per task/thread.
public enum GradMode {
    @TaskLocal static var enabled = true

    /// Whether ops currently record the graph.
    public static var isEnabled: Bool { enabled }
}

/// Runs `body` with graph recording off (inference: no closures, no saved tensors).
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$enabled.withValue(false) { try body() }
}

/// Wraps an op result, recording `backward` when grad mode is on and any input tracks gradients.
@inline(__always)
func record(_ value: Tensor, _ inputs: [Variable], _ backward: @escaping (Tensor, [Bool]) throws -> [Tensor?]) -> Variable {
    if GradMode.enabled && inputs.contains(where: { $0.requiresGrad }) {
        return Variable(value, node: GradNode(inputs: inputs, backward: backward))
    }
    return Variable(value)
}

private func runBackward(from root: Variable, seed: Tensor) throws {
    // Reverse topological order by iterative depth-first search.
    var order: [Variable] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Variable, Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (v, next) = stack.popLast() {
        if let node = v.node, next < node.inputs.count {
            stack.append((v, next + 1))
            let child = node.inputs[next]
            if child.requiresGrad && visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
        } else {
            order.append(v)
        }
    }
    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
    for v in order.reversed() {
        guard let g = grads.removeValue(forKey: ObjectIdentifier(v)) else { continue }
        guard let node = v.node else {
            if v.requiresGrad { v.grad = try v.grad.map { try Kernels.add($0, g) } ?? g }
            continue
        }
        let needs = node.inputs.map { $0.requiresGrad }
        let inputGrads = try node.backward(g, needs)
        for (input, ig) in zip(node.inputs, inputGrads) where input.requiresGrad {
            guard let ig else { continue }
            guard ig.shape == input.value.shape else {
                throw TensorError.shapeMismatch(op: "backward",
                                                detail: "gradient \(ig.shape) for input \(input.value.shape)")
            }
            let key = ObjectIdentifier(input)
            grads[key] = try grads[key].map { try Kernels.add($0, ig) } ?? ig
        }
    }
}
