import StainCore

/// The metric node family: image quality and distribution metrics, network cost.
public enum MetricFamily {
    public static let nodes: [any StainNode.Type] = [
    ]
}
