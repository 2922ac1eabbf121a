import NeuralKernels

/// Tensor names and shapes in file order, without values: a weights file as its header describes it. A network
/// checks one against its parameters (`ParameterShapes.check`) before, or instead of, reading megabytes of values.
public struct TensorShapes: Sendable {
    private var entries: [(name: String, shape: [Int])] = []
    private var positions: [String: Int] = [:]

    /// From (name, shape) pairs in file order. A later duplicate replaces an earlier one in its place, as in
    /// `StateDict(_:)`, so names renamed alike collide alike whether they carry tensors or shapes.
    public init(_ pairs: [(String, [Int])]) {
        for (name, shape) in pairs {
            if let i = positions[name] {
                entries[i].shape = shape
            } else {
                positions[name] = entries.count
                entries.append((name, shape))
            }
        }
    }

    /// Names in file order.
    public var names: [String] { entries.map(\.name) }

    /// (name, shape) pairs in file order.
    public var items: [(String, [Int])] { entries.map { ($0.name, $0.shape) } }

    /// The shape of a name, nil if the file has no such tensor.
    public subscript(name: String) -> [Int]? { positions[name].map { entries[$0].shape } }

    /// A copy whose names lose `prefix` where they have it (e.g. `module.` from DataParallel checkpoints), like
    /// `StateDict.strippingPrefix(_:)`.
    public func strippingPrefix(_ prefix: String) -> TensorShapes {
        TensorShapes(stripping(prefix, from: items))
    }
}

/// `items` with `prefix` removed from the names that have it: one renaming for tensors and for shapes.
func stripping<Value>(_ prefix: String, from items: [(String, Value)]) -> [(String, Value)] {
    items.map { ($0.0.hasPrefix(prefix) ? String($0.0.dropFirst(prefix.count)) : $0.0, $0.1) }
}

extension StateDict {
    /// The names and shapes of the tensors, in order.
    public var shapes: TensorShapes { TensorShapes(items.map { ($0.0, $0.1.shape) }) }
}

/// A network's parameters as names and shapes in state-dict order: what a weights file for it must hold.
public struct ParameterShapes: Sendable {
    public let items: [(name: String, shape: [Int])]

    public init(_ items: [(name: String, shape: [Int])]) { self.items = items }

    /// Checks a file's names and shapes with the rules `StateDictModule.load` applies, and its errors: the first
    /// parameter (in state-dict order) that is missing (`ModelError.missingTensor`) or has another shape
    /// (`.shapeMismatch`); with `strict`, the first tensor (in file order) the network does not have
    /// (`.unexpectedTensor`). One function for both, so a header that passes here loads.
    public func check(_ found: TensorShapes, strict: Bool = true) throws {
        var known = Set<String>()
        for (name, shape) in items {
            known.insert(name)
            guard let foundShape = found[name] else { throw ModelError.missingTensor(name: name) }
            guard foundShape == shape else {
                throw ModelError.shapeMismatch(name: name, expected: shape, found: foundShape)
            }
        }
        if strict, let extra = found.names.first(where: { !known.contains($0) }) {
            throw ModelError.unexpectedTensor(name: extra)
        }
    }
}
