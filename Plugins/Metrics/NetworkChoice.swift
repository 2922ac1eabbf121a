import StainCore
import StainModels

/// Which of the paper's networks a cost node measures, and at what configuration.
struct NetworkChoice: Sendable {
    enum Network: String, ParameterChoice {
        case student, backward, discriminator, colorizer, registration
    }

    /// The parameters every cost node declares.
    struct Parameters: ParameterGroup {
        init() {}
        let network = Parameter("network", default: Network.student,
                                doc: "student G (4→3), backward F (3→3), PatchGAN discriminator, teacher colorizer, registration R")
        let size = Parameter("size", default: 256, range: 8...65536, doc: "input height and width, pixels")
        let filters = Parameter("filters", default: 64, range: 1...4096, doc: "first-layer filters (ngf/ndf) of G, F, D")
        let blocks = Parameter("blocks", default: 9, range: 0...64, doc: "residual blocks of G and F")
    }

    let network: Network
    let size: Int
    let filters: Int
    let blocks: Int

    init(_ p: Configuration<Parameters>) throws {
        network = try p.network
        size = try p.size
        filters = try p.filters
        blocks = try p.blocks
    }

    var label: String { "\(network.rawValue)@\(size)" }

    /// Layer shapes and costs; configuration errors (e.g. a size the network cannot take) are reported at `size`.
    func cost(_ p: Configuration<Parameters>) throws -> NetworkCost {
        do {
            switch network {
            case .student:
                return try ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: filters, blocks: blocks)
                    .cost(height: size, width: size)
            case .backward:
                return try ResnetGeneratorConfig(inputChannels: 3, outputChannels: 3, filters: filters, blocks: blocks)
                    .cost(height: size, width: size)
            case .discriminator:
                return try PatchDiscriminatorConfig(filters: filters).cost(height: size, width: size)
            case .colorizer:
                return try SIGGRAPHColorizerShape.cost(height: size, width: size)
            case .registration:
                return try RegistrationConfig.paper.cost(height: size, width: size)
            }
        } catch {
            throw p.problem(\.size, "\(error)")
        }
    }
}
