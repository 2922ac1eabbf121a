import Foundation
import NeuralKernels

/// How a parameter tensor is initialised (docs/paper.md ("Networks"), §5.1).
public enum ParameterInit: Sendable, Equatable {
    /// U(−bound, bound). PyTorch's default for Conv/ConvTranspose weights (kaiming_uniform, a = √5) and biases is
    /// bound = 1/√fan_in, with fan_in = weight.size(1)·k² (for ConvTranspose that is C_out·k²).
    case uniform(bound: Float)
    /// N(0, std²). kaiming_normal(fan_in) has std = gain/√fan_in.
    case normal(std: Float)
    case zeros

    /// PyTorch default bound 1/√fan_in for a weight of `shape` (fan_in = shape[1] · shape[2] · …).
    public static func pytorchDefault(weightShape shape: [Int]) -> ParameterInit {
        .uniform(bound: 1 / Float(fanIn(shape)).squareRoot())
    }

    /// kaiming_normal(a, nonlinearity 'leaky_relu' or 'relu', mode fan_in): std = √(2/(1+a²)) / √fan_in.
    public static func kaimingNormal(weightShape shape: [Int], negativeSlope a: Float) -> ParameterInit {
        .normal(std: (2 / (1 + a * a)).squareRoot() / Float(fanIn(shape)).squareRoot())
    }

    static func fanIn(_ shape: [Int]) -> Int { shape.dropFirst().reduce(1, *) }

    /// Fills `buffer` with draws from this distribution.
    public func fill(_ buffer: UnsafeMutableBufferPointer<Float>, using rng: inout SeededGenerator) {
        let n = buffer.count
        guard let p = buffer.baseAddress, n > 0 else { return }
        switch self {
        case .zeros:
            p.update(repeating: 0, count: n)
        case .uniform(let bound):
            let scale = 2 * bound / 16_777_216  // 24 random bits → [−bound, bound)
            var i = 0
            while i < n {
                p[i] = Float(rng.next() >> 40) * scale - bound
                i &+= 1
            }
        case .normal(let std):
            var i = 0
            while i < n {  // Box–Muller: two values per pair of draws
                let u1 = (Double(rng.next() >> 11) + 1) * 0x1p-53
                let u2 = Double(rng.next() >> 11) * 0x1p-53
                let r = (-2 * Foundation.log(u1)).squareRoot()
                p[i] = Float(r * Foundation.cos(2 * .pi * u2)) * std
                if i &+ 1 < n { p[i &+ 1] = Float(r * Foundation.sin(2 * .pi * u2)) * std }
                i &+= 2
            }
        }
    }
}

/// Where a new network's parameter values come from: draws from a seeded generator (a fresh network, reproducible
/// from its seed), or none, for a network built only to list its parameters' names and shapes or to be loaded from a
/// file at once: drawing G's 11 M values only to overwrite them, or never read them, is wasted work (about as long as
/// checking a weights file and loading it).
public struct ParameterSource: Sendable {
    /// nil: values are left unset (allocated but not written; the pages are not touched until loaded).
    private var rng: SeededGenerator?

    /// Values drawn from a generator seeded with `seed`.
    public init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    private init(unset: Void) { rng = nil }

    /// No values. Only for networks that are discarded after listing their shapes, or loaded strictly (every
    /// parameter replaced) before anything reads them.
    static var unset: ParameterSource { ParameterSource(unset: ()) }

    /// A trainable parameter named `name` (its state-dict key), with values drawn from `initializer` unless unset.
    mutating func parameter(_ name: String, _ shape: [Int], _ initializer: ParameterInit) -> Variable {
        var tensor = Tensor(uninitializedShape: shape)
        if var generator = rng {
            tensor.withUnsafeMutableBufferPointer { initializer.fill($0, using: &generator) }
            rng = generator
        }
        return Variable(tensor, requiresGrad: true, name: name)
    }
}
