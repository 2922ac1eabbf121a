import StainCore
import StainModels

/// What a network-cost node reports.
public protocol NetworkCostKind: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var columns: [String] { get }
    static func values(_ cost: NetworkCost) -> [Double]
}

/// A node measuring one of the paper's networks at a configuration and size (`params`, `flops`): one table row
/// NETWORK@SIZE. An impossible configuration (e.g. a size the colorizer cannot take) is a validation error.
public struct NetworkCostNode<Kind: NetworkCostKind>: StainNode {
    public static var name: String { Kind.name }
    public static var summary: String { Kind.summary }

    public struct Declaration: NodeDeclaration {
        public init() {}
        let out = OutputPort("out", .table, doc: "one row NETWORK@SIZE with columns " + Kind.columns.joined(separator: ", "))
        let network = NetworkChoice.Parameters()
    }

    let network: NetworkChoice
    let cost: NetworkCost

    public init(_ p: Configuration<Declaration>) throws {
        network = try NetworkChoice(p.network)
        cost = try network.cost(p.network)
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        [\.out: .table(Table(columns: Kind.columns, rows: [.init(label: network.label, values: Kind.values(cost))]))]
    }
}

/// `params`: the parameter count (state_dict tensors, as PyTorch's numel sum).
public enum ParameterCount: NetworkCostKind {
    public static let name = "params"
    public static let summary = "Parameter count of a network (student, backward, discriminator, colorizer, registration)"
    public static let columns = ["params"]
    public static func values(_ cost: NetworkCost) -> [Double] { [Double(cost.parameterCount)] }
}

/// `flops`: convolution FLOPs in the paper's convention (2 × MACs, transposed convolutions counted on the output
/// grid; 114.01 G for G at 256²) and as true multiplies (99.51 G).
public enum FlopCount: NetworkCostKind {
    public static let name = "flops"
    public static let summary = "FLOPs of a network at a size: paper convention (2×MACs, ConvT on the out-grid) and true"
    public static let columns = ["gflops-paper", "gflops-true"]
    public static func values(_ cost: NetworkCost) -> [Double] {
        [Double(cost.flops(.paper)) / 1e9, Double(cost.flops(.trueMultiplies)) / 1e9]
    }
}
