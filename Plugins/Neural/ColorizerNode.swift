import StainCore
import StainModels
import Vips

/// `colorizer`: the teacher G_t (SIGGRAPH'17 colorizer with InstanceNorm and the LAB wrapper, docs/paper.md ("Networks")):
/// enhanced z in, RGB out. Only the lightness of z is used. Sizes are reflection-padded to multiples of 8 and
/// cropped back; large images stream in tiles like `student-generator`.
public struct ColorizerNode: StainNode, TileCounting {
    public static let name = "colorizer"
    public static let summary = "Teacher colorizer G_t (SIGGRAPH'17 + LAB wrapper): enhanced z → RGB, streamed in tiles"
    public static let needsStatistics = true

    public struct Declaration: NodeDeclaration {
        public init() {}
        let source = InputPort("source", bands: [1, 3], formerly: ["enhanced"], doc: "enhanced image z (8-bit gray or RGB)")
        let mask = InputPort("mask", bands: [1], optional: true,
                             doc: "tissue mask (tissue-mask): tiles with less tissue than min-tissue are filled with background")
        let out = OutputPort("out", bands: .fixed(3), doc: "colorized RGB image (8-bit)")
        let weights = Parameter<InputFile>("weights",
                                           doc: "safetensors state dict of the colorizer (a DataParallel 'module.' prefix is stripped)")
        let tiling = TilingOptions.Parameters()
    }

    /// The colorizer's receptive field (its dilated middle layers reach far): tiles read this much context.
    public static func halo(_ p: Configuration<Declaration>) throws -> Int { ReceptiveField.colorizer.halo }

    let execution: TiledExecution
    /// The colorizer, read from `weights` when the node first runs (construction checks the file's header only).
    let network: DeferredNetwork<ColorizerNetwork>

    public var tileCounts: (computed: Int, skipped: Int) { execution.counter.counts }

    public init(_ p: Configuration<Declaration>) throws {
        let options = try TilingOptions(p.tiling)
        let path = try p.weights.path
        do {
            try ColorizerNetwork.check(weights: path)
        } catch {
            throw WeightsFile.problem(path, error)
        }
        let network = DeferredNetwork(path: path) { try ColorizerNetwork(weights: $0) }
        let model = TiledModel(inputBands: 3, receptiveField: .colorizer,
                               normLayerCount: ColorizerNetwork.normLayerCount) { x, normalizer in
            try network.network().forward(rgb: x, normalizer: normalizer)
        }
        self.network = network
        execution = TiledExecution(model: model, options: options)
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        _ = try network.network()  // load before any tile, so a bad file is reported as such, not as a tile failure
        var z = try inputs.image(\.source).cast(to: .uchar)
        if z.bands == 1 { z = try z.bandjoin([z, z]) }
        return [\.out: .image(try execution.run(z, mask: inputs.optionalImage(\.mask), context, name: inputs.node))]
    }
}
