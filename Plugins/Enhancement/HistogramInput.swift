import StainCore
import StainImaging
import Vips

/// A histogram from a port that takes an image or a histogram (histogram-matcher, darkfield-synthesizer).
public enum HistogramInput {
    public static func histogram(_ value: NodeValue, _ context: RunContext, mask: VipsImage? = nil,
                                 label: String) throws -> Histogram {
        switch value {
        case .histogram(let h): return h
        case .image(let image): return try Luma.histogram(of: image, mask: mask, context, label: label)
        case .table, .imageSet: throw NodeRunError(.failure, "expected an image or a histogram, got \(value.kind.rawValue)")
        }
    }
}
