import StainCore

/// `params`: the parameter count of one of the paper's networks (state_dict tensors, as PyTorch's numel sum).
public struct ParamsNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "params", summary: "Parameter count of a network (student, backward, discriminator, colorizer, registration)",
        outputs: [OutputPort("out", .table, doc: "one row NETWORK@SIZE with column params")],
        parameters: NetworkChoice.parameters)

    let network: NetworkChoice

    public init(_ p: ParameterValues) throws {
        network = NetworkChoice(p)
        _ = try network.cost()
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let cost = try network.cost()
        return ["out": .table(Table(columns: ["params"], rows: [.init(label: network.label, values: [Double(cost.parameterCount)])]))]
    }
}
