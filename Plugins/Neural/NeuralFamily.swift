import StainCore

/// The network node family: the student generator and the teacher colorizer (tiled streaming), and the
/// registration warp of Learning-to-Align.
public enum NeuralFamily {
    public static let nodes: [any StainNode.Type] = [
        StudentGeneratorNode.self,
        ColorizerNode.self,
        RegistrationWarpNode.self,
    ]
}
