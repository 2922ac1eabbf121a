import StainCore

/// The network node family: the student generator and the teacher colorizer, with tiled streaming.
public enum NeuralFamily {
    public static let nodes: [any StainNode.Type] = [
        StudentGeneratorNode.self,
        ColorizerNode.self,
    ]
}
