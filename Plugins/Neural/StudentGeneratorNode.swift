import StainCore
import StainModels
import Vips

/// `student-generator`: the paper's student G (ResNet generator, 4→3): dark-field RGB x and enhanced z in,
/// stained RGB out, y = saturate_round(127.5·ŷ + 127.5). Large images stream in tiles with a halo covering the
/// network's receptive field (92 px for 9 blocks), with a choice of instance-norm statistics.
public struct StudentGeneratorNode: StainNode {
    public static let descriptor = NodeDescriptor(
        name: "student-generator",
        summary: "Student generator G (ResNet, [x RGB, z] → stained RGB), streamed in seamless tiles",
        inputs: [
            InputPort("darkfield", bands: [3], doc: "dark-field RGB image x (8-bit)"),
            InputPort("enhanced", bands: [1, 3], doc: "enhanced image z (8-bit gray, or 3 equal bands: their mean is used)"),
        ],
        outputs: [OutputPort("out", bands: .fixed(3), doc: "stained RGB image (8-bit)")],
        parameters: [
            ParameterSpec("weights", .inputFile,
                          doc: "safetensors state dict of G, paper (model_head/body/tail) or junyanz (model.N) names"),
            ParameterSpec("filters", .int, default: .int(64), range: 1...1024, doc: "first-layer filters (ngf)"),
            ParameterSpec("blocks", .int, default: .int(9), range: 0...64, doc: "residual blocks"),
        ] + TilingOptions.parameters,
        halo: ReceptiveField.resnetGenerator(blocks: 9).halo,
        needsStatistics: true)

    let execution: TiledExecution

    public init(_ p: ParameterValues) throws {
        let options = try TilingOptions(p)
        let config = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: p.int("filters"),
                                           blocks: p.int("blocks"))
        let network: StudentNetwork
        do {
            network = try StudentNetwork(config: config, weights: p.string("weights"))
        } catch {
            throw WeightsFile.problem(p.string("weights"), error,
                                      detail: " (filters \(config.filters), blocks \(config.blocks))")
        }
        let model = TiledModel(inputBands: 4, receptiveField: network.receptiveField,
                               normLayerCount: network.normLayerCount) { x, normalizer in
            try network.forward(x, normalizer: normalizer)
        }
        execution = TiledExecution(model: model, options: options)
    }

    public func run(_ inputs: NodeInputs, _ context: RunContext) throws -> [String: NodeValue] {
        let darkfield = try inputs.image("darkfield")
        var enhanced = try inputs.image("enhanced")
        guard darkfield.width == enhanced.width, darkfield.height == enhanced.height else {
            throw NodeRunError(.failure, "node '\(inputs.node)': darkfield is \(darkfield.width)x\(darkfield.height) "
                               + "but enhanced is \(enhanced.width)x\(enhanced.height)")
        }
        if enhanced.bands == 3 { enhanced = try enhanced.call("bandmean") }
        let joined = try darkfield.cast(to: .uchar).bandjoin([enhanced.cast(to: .uchar)])
        return ["out": .image(try execution.run(joined, context, name: inputs.node))]
    }
}
