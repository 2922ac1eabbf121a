import StainCore
import StainModels

/// Which of the paper's networks a cost node measures, and at what configuration.
struct NetworkChoice: Sendable {
    static let names = ["student", "backward", "discriminator", "colorizer", "registration"]

    static let parameters: [ParameterSpec] = [
        ParameterSpec("network", .choice(names), default: .string("student"),
                      doc: "student G (4→3), backward F (3→3), PatchGAN discriminator, teacher colorizer, registration R"),
        ParameterSpec("size", .int, default: .int(256), range: 8...65536, doc: "input height and width, pixels"),
        ParameterSpec("filters", .int, default: .int(64), range: 1...4096, doc: "first-layer filters (ngf/ndf) of G, F, D"),
        ParameterSpec("blocks", .int, default: .int(9), range: 0...64, doc: "residual blocks of G and F"),
    ]

    let name: String
    let size: Int
    let filters: Int
    let blocks: Int

    init(_ p: ParameterValues) {
        name = p.string("network")
        size = p.int("size")
        filters = p.int("filters")
        blocks = p.int("blocks")
    }

    var label: String { "\(name)@\(size)" }

    /// Layer shapes and costs; configuration errors (e.g. a size the network cannot take) become node errors.
    func cost() throws -> NetworkCost {
        do {
            switch name {
            case "student":
                return try ResnetGeneratorConfig(inputChannels: 4, outputChannels: 3, filters: filters, blocks: blocks)
                    .cost(height: size, width: size)
            case "backward":
                return try ResnetGeneratorConfig(inputChannels: 3, outputChannels: 3, filters: filters, blocks: blocks)
                    .cost(height: size, width: size)
            case "discriminator":
                return try PatchDiscriminatorConfig(filters: filters).cost(height: size, width: size)
            case "colorizer":
                return try SIGGRAPHColorizerShape.cost(height: size, width: size)
            default:
                return try RegistrationConfig.paper.cost(height: size, width: size)
            }
        } catch {
            throw NodeConfigurationError(key: "size", "\(error)")
        }
    }
}
