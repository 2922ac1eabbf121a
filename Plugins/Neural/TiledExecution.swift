import Foundation
import NeuralKernels
import StainCore
import Vips

/// Runs a `TiledModel` over an 8-bit image: images no larger than a tile run whole (eagerly); larger ones become
/// a lazy libvips image computed tile by tile with a halo, so memory is bounded by tiles, after the statistics
/// pass their `norm` strategy needs.
///
/// Thread policy (one level of parallelism): tiles are computed one at a time, across all network nodes of the
/// process, each with BLAS and the kernels'
/// loops at `threads`. libvips workers still read, write and compress in parallel, but wait for the network.
/// The pthread OpenBLAS serializes concurrent calls anyway, and one tile at a time keeps peak memory at one
/// tile's activations.
struct TiledExecution: Sendable {
    let model: TiledModel
    let options: TilingOptions
    private let serializer = TileSerializer.process
    /// Tiles computed and left out (glass) in this run.
    let counter = TileCounter()

    init(model: TiledModel, options: TilingOptions) {
        self.model = model
        self.options = options
    }

    /// The halo used for tiles.
    var halo: Int { options.halo(for: model.receptiveField) }

    /// The network's RGB output for `image` (8-bit, `model.inputBands` bands). With a tissue `mask`, tiles with
    /// too little tissue are filled with the background instead of computed.
    func run(_ image: VipsImage, mask: VipsImage? = nil, _ context: RunContext, name: String) throws -> VipsImage {
        let threads = options.threads > 0 ? options.threads : context.threads
        let width = image.width, height = image.height
        guard width >= 16, height >= 16 else {
            throw NodeRunError(.failure, "\(name): image \(width)x\(height) is too small (at least 16x16)")
        }
        guard image.bands == model.inputBands else {
            throw NodeRunError(.failure, "\(name): expected \(model.inputBands) bands, got \(image.bands)")
        }
        let input = try image.cast(to: .uchar)
        if width <= options.tileSize, height <= options.tileSize {
            // One tile: the whole image, always computed (a mask has nothing to save here).
            let pixels = try input.pixels(as: UInt8.self)
            counter.start(node: name, total: 1)
            let start = DispatchTime.now().uptimeNanoseconds
            let out = try serializer.run(threads: threads) {
                try model.outputTile(input: pixels, x: 0, y: 0, width: width, height: height, halo: 0,
                                     imageWidth: width, imageHeight: height, normalizer: Normalizer(.own))
            }
            counter.record(computed: true, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                           context.progress)
            return try VipsImage.from(buffer: eightBit(out), width: width, height: height, bands: 3)
        }
        let coverage = try mask.map {
            try TissueCoverage(mask: $0, imageWidth: width, imageHeight: height, minimum: options.minTissue)
        }
        let plan: StatisticsPlan
        switch options.norm {
        case .perTile: plan = .own
        case .global: plan = .frozen(try globalStatistics(input, coverage: coverage, threads: threads, context, name: name))
        case .kernel: plan = .grid(try tileStatistics(input, threads: threads, context, name: name))
        }
        let network = model, serializer = self.serializer, halo = self.halo, tile = options.tileSize
        let background = Float(options.background) / 127.5 - 1
        let counter = self.counter, progress = context.progress
        counter.start(node: name, total: ((width + tile - 1) / tile) * ((height + tile - 1) / tile))
        // One tile, values in [−1, 1]; every tile on one grid, one at a time.
        let compute: @Sendable (TileRequest<UInt8>) throws -> [Float] = { request in
            if let coverage, !coverage.holdsTissue(x: request.x, y: request.y, width: request.width,
                                                    height: request.height) {
                counter.record(computed: false, progress)
                return [Float](repeating: background, count: request.width * request.height * 3)
            }
            // Network time only (inside the serializer): the streamed run's tile rate is judged against it.
            var seconds = 0.0
            let tile = try serializer.run(threads: threads) {
                let start = DispatchTime.now().uptimeNanoseconds
                defer { seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
                return try network.outputTile(input: request.input, x: request.x, y: request.y, width: request.width,
                                              height: request.height, halo: halo, imageWidth: request.imageWidth,
                                              imageHeight: request.imageHeight,
                                              normalizer: plan.normalizer(x: request.x, y: request.y))
            }
            counter.record(computed: true, seconds: seconds, progress)
            return tile
        }
        if options.overlap > 0 {
            let blended = try VipsImage.generateBlended(
                from: input, inputAs: UInt8.self, outputBands: 3, tileSize: (tile, tile), overlap: options.overlap,
                halo: halo) { (request: TileRequest<UInt8>) -> [Float] in
                try compute(request).map { 127.5 * $0 + 127.5 }
            }
            return try blended.cast(to: .uchar).withInterpretation(.srgb)
        }
        return try VipsImage.generate(from: input, inputAs: UInt8.self, outputBands: 3, halo: halo,
                                      tileSize: (tile, tile)) { (request: TileRequest<UInt8>) -> [UInt8] in
            eightBit(try compute(request))
        }
    }

    /// `global`: every IN layer's statistics from one pass of the network over the whole image if its longest side
    /// is at most `statistics-size`; else from a copy downsampled to that size (`thumbnail`), or exactly, layer by
    /// layer over tiles (`layerwise`).
    func globalStatistics(_ image: VipsImage, coverage: TissueCoverage? = nil, threads: Int, _ context: RunContext,
                          name: String) throws -> [ChannelStatistics] {
        let longest = max(image.width, image.height)
        let downsampled = longest > options.statisticsSize
        if downsampled, options.statisticsSource == .layerwise {
            return try layerwiseStatistics(image, threads: threads, context, name: name)
        }
        if downsampled, options.statisticsSource == .sampled {
            return try sampledStatistics(image, coverage: coverage, threads: threads, context, name: name)
        }
        context.progress.begin("statistics: \(name) instance norm\(downsampled ? " (thumbnail)" : "")")
        defer { context.progress.end() }
        let source = downsampled
            ? try image.resize(scale: Double(options.statisticsSize) / Double(longest)).cast(to: .uchar) : image
        let pixels = try source.pixels(as: UInt8.self)
        let normalizer = Normalizer(.own)
        _ = try serializer.run(threads: threads) {
            try model.outputTile(input: pixels, x: 0, y: 0, width: source.width, height: source.height, halo: 0,
                                 imageWidth: source.width, imageHeight: source.height, normalizer: normalizer)
        }
        guard normalizer.used.count == model.normLayerCount else {
            throw NodeRunError(.failure, "\(name): statistics pass saw \(normalizer.used.count) norm layers, "
                               + "expected \(model.normLayerCount)")
        }
        return normalizer.used
    }

    /// Whole-image statistics without holding the image: one pass over all tiles per IN layer. Pass k normalizes
    /// layers before k with the statistics already found, sums layer k's input over the tile centres (which
    /// partition the image) and stops there. Exact; costs about (number of IN layers)/2 forward passes.
    /// (A single pass with approximate statistics frozen everywhere does not work: every layer's statistics
    /// depend on how the layers before it were normalized, and the error compounds instead of shrinking.)
    func layerwiseStatistics(_ image: VipsImage, threads: Int, _ context: RunContext,
                             name: String) throws -> [ChannelStatistics] {
        context.progress.begin("statistics: \(name) instance norm, layer by layer over tiles")
        defer { context.progress.end() }
        let network = model, serializer = self.serializer, halo = self.halo
        var statistics: [ChannelStatistics] = []
        for layer in 0..<model.normLayerCount {
            let accumulator = StatisticsAccumulator(), known = statistics
            try image.visitTiles(inputAs: UInt8.self, tileSize: (options.tileSize, options.tileSize), halo: halo) {
                (request: TileRequest<UInt8>) in
                do {
                    _ = try serializer.run(threads: threads) {
                        try network.outputTile(input: request.input, x: request.x, y: request.y,
                                               width: request.width, height: request.height, halo: halo,
                                               imageWidth: request.imageWidth, imageHeight: request.imageHeight,
                                               normalizer: Normalizer(.frozen(known)),
                                               accumulate: (accumulator, layer))
                    }
                    throw NeuralNodeError("the forward pass ended before norm layer \(layer)")
                } catch is StopForward {}
            }
            statistics.append(try accumulator.statistics())
            context.progress.update(Double(layer + 1) / Double(model.normLayerCount))
        }
        return statistics
    }

    /// `sampled`: the layer-by-layer statistics of `layerwise`, but over a few full-resolution tiles spread evenly
    /// over the image (over the tissue tiles, given a mask) instead of all of them: the statistics are at the
    /// resolution the network sees (a thumbnail's are not: downsampling changes the texture each layer sees), at
    /// a fraction of the cost. Each pass reads only the sampled tiles, with their halo.
    func sampledStatistics(_ image: VipsImage, coverage: TissueCoverage?, threads: Int, _ context: RunContext,
                           name: String) throws -> [ChannelStatistics] {
        let tile = options.tileSize, halo = self.halo
        var grid: [(x: Int, y: Int, width: Int, height: Int)] = []
        for y in stride(from: 0, to: image.height, by: tile) {
            for x in stride(from: 0, to: image.width, by: tile) {
                grid.append((x, y, min(tile, image.width - x), min(tile, image.height - y)))
            }
        }
        let candidates = coverage.map { c in grid.filter { c.holdsTissue(x: $0.x, y: $0.y, width: $0.width, height: $0.height) } } ?? grid
        let pool = candidates.isEmpty ? grid : candidates
        let count = min(options.statisticsTiles, pool.count)
        // Evenly spread over the list (row by row), so the sample covers the whole image.
        let chosen = (0..<count).map { pool[($0 * pool.count + pool.count / 2) / count] }
        context.progress.begin("statistics: \(name) instance norm, layer by layer over \(count) sampled tiles")
        defer { context.progress.end() }
        let padded = try image.call("embed", ["x": .int(halo), "y": .int(halo), "width": .int(image.width + 2 * halo),
                                              "height": .int(image.height + 2 * halo), "extend": .enumeration("mirror")])
        let inputs = try chosen.map {
            try padded.crop(x: $0.x, y: $0.y, width: $0.width + 2 * halo, height: $0.height + 2 * halo).pixels(as: UInt8.self)
        }
        var statistics: [ChannelStatistics] = []
        for layer in 0..<model.normLayerCount {
            let accumulator = StatisticsAccumulator(), known = statistics
            for (rect, input) in zip(chosen, inputs) {
                do {
                    _ = try serializer.run(threads: threads) {
                        try model.outputTile(input: input, x: rect.x, y: rect.y, width: rect.width, height: rect.height,
                                             halo: halo, imageWidth: image.width, imageHeight: image.height,
                                             normalizer: Normalizer(.frozen(known)), accumulate: (accumulator, layer))
                    }
                    throw NeuralNodeError("the forward pass ended before norm layer \(layer)")
                } catch is StopForward {}
                if context.outputs.isCancelled { throw NodeRunError(.interrupted, "interrupted") }
            }
            statistics.append(try accumulator.statistics())
            context.progress.update(Double(layer + 1) / Double(model.normLayerCount))
        }
        return statistics
    }

    /// `kernel`: each tile's own statistics (tile with its halo), stored on the tile grid.
    func tileStatistics(_ image: VipsImage, threads: Int, _ context: RunContext, name: String) throws -> KernelGrid {
        context.progress.begin("statistics: \(name) per-tile instance norm")
        defer { context.progress.end() }
        let grid = KernelGrid(tileSize: options.tileSize, width: image.width, height: image.height)
        let network = model, serializer = self.serializer, halo = self.halo
        try image.visitTiles(inputAs: UInt8.self, tileSize: (options.tileSize, options.tileSize), halo: halo) {
            (request: TileRequest<UInt8>) in
            let normalizer = Normalizer(.own)
            _ = try serializer.run(threads: threads) {
                try network.outputTile(input: request.input, x: request.x, y: request.y, width: request.width,
                                       height: request.height, halo: halo, imageWidth: request.imageWidth,
                                       imageHeight: request.imageHeight, normalizer: normalizer)
            }
            grid.store(normalizer.used, x: request.x, y: request.y)
        }
        try grid.checkComplete()
        return grid
    }
}

/// Which statistics a tile's normalizer uses.
enum StatisticsPlan: Sendable {
    case own
    case frozen([ChannelStatistics])
    case grid(KernelGrid)

    func normalizer(x: Int, y: Int) throws -> Normalizer {
        switch self {
        case .own: return Normalizer(.own)
        case .frozen(let layers): return Normalizer(.frozen(layers))
        case .grid(let grid): return Normalizer(.frozen(try grid.smoothed(x: x, y: y)))
        }
    }
}

/// Counts the tiles of a run as they are computed or left out, and reports each one to the run's progress.
final class TileCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var node = "", total = 0, computed = 0, skipped = 0
    private var computeSeconds = 0.0

    func start(node: String, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        self.node = node
        self.total = total
        computed = 0
        skipped = 0
        computeSeconds = 0
    }

    func record(computed wasComputed: Bool, seconds: Double = 0, _ progress: ProgressReporter) {
        lock.lock()
        if wasComputed { computed += 1 } else { skipped += 1 }
        computeSeconds += seconds
        let now = TileProgress(node: node, total: total, computed: computed, skipped: skipped,
                               computeSeconds: computeSeconds)
        lock.unlock()
        progress.tiles(now)
    }

    var counts: (computed: Int, skipped: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (computed, skipped)
    }
}

/// Computes tiles one at a time, with BLAS at the node's thread count. One for the whole process: two network nodes
/// of a pipeline never compute at once, so BLAS's thread count (which the kernels lower to 1 around Winograd's
/// parallel GEMMs and then restore) is only ever changed by the one tile being computed.
final class TileSerializer: @unchecked Sendable {
    static let process = TileSerializer()
    private let lock = NSLock()

    func run<R>(threads: Int, _ body: () throws -> R) throws -> R {
        lock.lock()
        defer { lock.unlock() }
        ComputeThreads.set(threads)
        return try body()
    }
}
