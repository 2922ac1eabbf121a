import StainCore
import StainModels
import Vips

/// `student-generator`: the paper's student G (ResNet generator, 4→3): dark-field RGB x and enhanced z in,
/// stained RGB out, y = saturate_round(127.5·ŷ + 127.5). Large images stream in tiles with a halo covering the
/// network's receptive field (84 px for the default 9 blocks: `halo`), with a choice of instance-norm statistics.
public struct StudentGeneratorNode: StainNode, TileCounting {
    public static let name = "student-generator"
    public static let summary = "Student generator G (ResNet, [x RGB, z] → stained RGB), streamed in seamless tiles"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let darkfield = InputPort("darkfield", bands: [3], doc: "dark-field RGB image x (8-bit)")
        let enhanced = InputPort("enhanced", bands: [1, 3], doc: "enhanced image z (8-bit gray, or 3 equal bands: their mean is used)")
        let mask = InputPort("mask", bands: [1], optional: true,
                             doc: "tissue mask (tissue-mask): tiles with less tissue than min-tissue are filled with background")
        let out = OutputPort("out", bands: .fixed(3), doc: "stained RGB image (8-bit)")
        let weights = Parameter<InputFile>("weights",
                                           doc: "safetensors state dict of G, paper (model_head/body/tail) or junyanz (model.N) names")
        let filters = Parameter("filters", default: 64, range: 1...1024, doc: "first-layer filters (ngf)")
        let blocks = Parameter("blocks", default: 9, range: 0...64, doc: "residual blocks")
        let tiling = TilingOptions.Parameters()
    }

    /// The receptive field of G, which grows with its residual blocks; tiles read this much context (`halo`).
    public static func halo(_ p: Configuration<Declaration>) throws -> Int {
        ReceptiveField.resnetGenerator(blocks: try p.blocks).halo
    }

    let execution: TiledExecution
    /// G, read from `weights` when the node first runs (construction checks the file's header only).
    let network: DeferredNetwork<StudentNetwork>

    public var tileCounts: (computed: Int, skipped: Int) { execution.counter.counts }

    public init(_ p: Configuration<Declaration>) throws {
        let options = try TilingOptions(p.tiling)
        let config = ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: try p.filters,
                                           blocks: try p.blocks)
        let path = try p.weights.path
        let detail = " (filters \(config.filters), blocks \(config.blocks))"
        do {
            try StudentNetwork.check(config: config, weights: path)
        } catch {
            throw WeightsFile.problem(path, error, detail: detail)
        }
        let network = DeferredNetwork(path: path, detail: detail) { try StudentNetwork(config: config, weights: $0) }
        let model = TiledModel(inputBands: 4, receptiveField: .resnetGenerator(blocks: config.blocks),
                               normLayerCount: config.instanceNormLayerCount) { x, normalizer in
            try network.network().forward(x, normalizer: normalizer)
        }
        self.network = network
        execution = TiledExecution(model: model, options: options)
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        _ = try network.network()  // load before any tile, so a bad file is reported as such, not as a tile failure
        let darkfield = try inputs.image(\.darkfield)
        var enhanced = try inputs.image(\.enhanced)
        guard darkfield.width == enhanced.width, darkfield.height == enhanced.height else {
            throw NodeRunError(.failure, "node '\(inputs.node)': darkfield is \(darkfield.width)x\(darkfield.height) "
                               + "but enhanced is \(enhanced.width)x\(enhanced.height)")
        }
        if enhanced.bands == 3 { enhanced = try enhanced.call("bandmean") }
        let joined = try darkfield.cast(to: .uchar).bandjoin([enhanced.cast(to: .uchar)])
        return [\.out: .image(try execution.run(joined, mask: inputs.optionalImage(\.mask), context, name: inputs.node))]
    }
}
