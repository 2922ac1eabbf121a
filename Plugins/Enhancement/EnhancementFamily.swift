import StainCore

/// The enhancement node family: light enhancement variants and colour conversions.
public enum EnhancementFamily {
    public static let nodes: [any StainNode.Type] = [
        HistogramMatcherNode.self,
        ZScoreNormalizerNode.self,
        IdentityNode.self,
        GrayscaleNode.self,
        ToLabNode.self,
        FromLabNode.self,
        HistogramNode.self,
        LoadHistogramNode.self,
        SaveHistogramNode.self,
    ]
}
