import StainCore

/// How instance normalization gets its statistics when an image is processed in tiles (DESIGN §5).
enum NormStrategy: String, ParameterChoice {
    /// Every tile normalizes with its own statistics (naive; colours shift from tile to tile).
    case perTile = "per-tile"
    /// One statistics pass over the whole image (or a downsampled copy of it), then frozen for every tile.
    case global
    /// Kernel instance normalization (Ho et al., ECCV 2022): each tile's own statistics are stored in a grid in a
    /// first pass; each tile then normalizes with a binomial 3×3 kernel-weighted mean of its neighbours'.
    case kernel
}

/// The streaming settings shared by the network nodes.
struct TilingOptions: Sendable {
    let tileSize: Int
    let norm: NormStrategy
    let statisticsSize: Int
    /// Whether `global` gathers exact statistics layer by layer over tiles instead of from a thumbnail.
    /// How `global` gathers statistics for an image larger than `statistics-size`, and from how many tiles
    /// (`sampled`).
    let statisticsSource: StatisticsSource
    let statisticsTiles: Int
    let haloCap: Int
    let overlap: Int
    let threads: Int
    /// With a mask: the least tissue fraction of a computed tile, and the fill of the others.
    let minTissue: Double
    let background: Int

    /// How global statistics are gathered for an image larger than `statistics-size`.
    enum StatisticsSource: String, ParameterChoice {
        case thumbnail, sampled, layerwise
    }

    /// The parameters every network node declares.
    struct Parameters: ParameterGroup {
        init() {}
        let tileSize = Parameter("tile-size", default: 512, range: 16...8192,
                                 doc: "tile side (multiple of 8); images no larger run whole")
        let norm = Parameter("norm", default: NormStrategy.global,
                             doc: "instance-norm statistics of tiles: per-tile (naive), global (frozen from one "
                                 + "whole-image pass), kernel (KIN: neighbour-weighted per-tile statistics)")
        let statisticsSize = Parameter("statistics-size", default: 1024, range: 16...16384,
                                       doc: "global: the statistics pass runs on the whole image if its longest side is at most "
                                           + "this, else on a copy downsampled to it")
        let statistics = Parameter("statistics", default: StatisticsSource.layerwise,
                                   doc: "global, image larger than statistics-size: layerwise (exact whole-image statistics, "
                                       + "one pass over all tiles per norm layer: ~11 times a thumbnail's cost for the small "
                                       + "student, the only choice within 1 level of exact in docs/whole-slides.md), "
                                       + "thumbnail (statistics of the downsampled copy: one small pass, approximate), or "
                                       + "sampled (layer by layer over statistics-tiles full-resolution tiles)")
        let statisticsTiles = Parameter("statistics-tiles", default: 8, range: 1...100_000,
                                        doc: "sampled: how many tiles the statistics come from")
        let haloCap = Parameter("halo-cap", default: 0, range: 0...8192,
                                doc: "limit the halo (0: the full receptive field, which makes tiles exact with global "
                                    + "statistics); a capped halo is best combined with overlap blending")
        let overlap = Parameter("overlap", default: 0, range: 0...8192,
                                doc: "tiles overlap by this many pixels (a multiple of 8) and are blended with linear ramps "
                                    + "(0: a plain grid)")
        let threads = Parameter("threads", default: 0, range: 0...1024,
                                doc: "BLAS threads for the one tile computed at a time (0: the run's --threads)")
        let minTissue = Parameter("min-tissue", default: 0.01, range: 0...1,
                                  doc: "with a mask: tiles with a smaller fraction of tissue under them are not "
                                      + "computed but filled with background")
        let background = Parameter("background", default: 255, range: 0...255,
                                   doc: "with a mask: the value of tiles left out (255: white bright-field glass)")
    }

    init(_ p: Configuration<Parameters>) throws {
        tileSize = try p.tileSize
        norm = try p.norm
        statisticsSize = try p.statisticsSize
        statisticsSource = try p.statistics
        statisticsTiles = try p.statisticsTiles
        haloCap = try p.haloCap
        overlap = try p.overlap
        threads = try p.threads
        minTissue = try p.minTissue
        background = try p.background
        guard tileSize % 8 == 0 else {
            throw p.problem(\.tileSize, "tile-size must be a multiple of 8, got \(tileSize)")
        }
        guard overlap % 8 == 0 else {
            throw p.problem(\.overlap, "overlap must be a multiple of 8 (so tiles stay on the "
                            + "networks' stride grid), got \(overlap)")
        }
        guard overlap < tileSize else {
            throw p.problem(\.overlap, "overlap \(overlap) must be smaller than tile-size \(tileSize)")
        }
        if norm == .kernel, overlap > 0 {
            throw p.problem(\.overlap, "norm 'kernel' works on a plain tile grid: use overlap 0")
        }
    }

    /// The halo for a network: its receptive field rounded up to the stride alignment, capped by `halo-cap`.
    func halo(for field: ReceptiveField) -> Int {
        guard haloCap > 0 else { return field.halo }
        let capped = (haloCap + field.alignment - 1) / field.alignment * field.alignment
        return min(field.halo, capped)
    }
}
