import StainCore
import StainModels
import Vips

/// `colorizer`: the teacher G_t (SIGGRAPH'17 colorizer with InstanceNorm and the LAB wrapper, docs/paper.md ("Networks")):
/// enhanced z in, RGB out. Only the lightness of z is used. Sizes are reflection-padded to multiples of 8 and
/// cropped back; large images stream in tiles like `student-generator`.
public struct ColorizerNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "colorizer",
        summary: "Teacher colorizer G_t (SIGGRAPH'17 + LAB wrapper): enhanced z → RGB, streamed in tiles",
        inputs: [InputPort("enhanced", bands: [1, 3], doc: "enhanced image z (8-bit gray or RGB)")],
        outputs: [OutputPort("out", bands: .fixed(3), doc: "colorized RGB image (8-bit)")],
        parameters: [
            ParameterSpec("weights", .inputFile,
                          doc: "safetensors state dict of the colorizer (a DataParallel 'module.' prefix is stripped)"),
        ] + TilingOptions.parameters,
        halo: ReceptiveField.colorizer.halo,
        needsStatistics: true)

    let execution: TiledExecution

    public init(_ p: ParameterValues) throws {
        let options = try TilingOptions(p)
        let network: ColorizerNetwork
        do {
            network = try ColorizerNetwork(weights: p.string("weights"))
        } catch {
            throw WeightsFile.problem(p.string("weights"), error)
        }
        let model = TiledModel(inputBands: 3, receptiveField: .colorizer,
                               normLayerCount: ColorizerNetwork.normLayerCount) { x, normalizer in
            try network.forward(rgb: x, normalizer: normalizer)
        }
        execution = TiledExecution(model: model, options: options)
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        var z = try inputs.image("enhanced").cast(to: .uchar)
        if z.bands == 1 { z = try z.bandjoin([z, z]) }
        return ["out": .image(try execution.run(z, context, name: inputs.node))]
    }
}
