import StainCore

/// The synthesis node family: synthetic dark-field images and misaligned pairs (the paper's Sec. V-D).
public enum SynthesisFamily {
    public static let nodes: [any StainNode.Type] = [
        DarkfieldSynthesizerNode.self,
        MisalignNode.self,
    ]
}
