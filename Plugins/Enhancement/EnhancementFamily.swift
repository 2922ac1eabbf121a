import StainCore

/// The enhancement node family: preparing images for the networks — light enhancement variants, colour
/// conversions, histograms, and tissue masks.
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
        TissueMaskNode.self,
    ]
}
