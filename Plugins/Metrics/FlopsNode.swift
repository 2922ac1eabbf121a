import StainCore

/// `flops`: convolution FLOPs of one of the paper's networks: the paper's convention (2 × MACs, transposed
/// convolutions counted on the output grid; 114.01 G for G at 256²) and the true multiply count (99.51 G).
public struct FlopsNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "flops", summary: "FLOPs of a network at a size: paper convention (2×MACs, ConvT on the out-grid) and true",
        outputs: [OutputPort("out", .table, doc: "one row NETWORK@SIZE with columns gflops-paper, gflops-true")],
        parameters: NetworkChoice.parameters)

    let network: NetworkChoice

    public init(_ p: ParameterValues) throws {
        network = NetworkChoice(p)
        _ = try network.cost()
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let cost = try network.cost()
        let row = Table.Row(label: network.label, values: [Double(cost.flops(.paper)) / 1e9,
                                                           Double(cost.flops(.trueMultiplies)) / 1e9])
        return ["out": .table(Table(columns: ["gflops-paper", "gflops-true"], rows: [row]))]
    }
}
