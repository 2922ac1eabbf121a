import StainCore

/// The IO node family: reading and writing images and slides.
public enum IOFamily {
    public static let nodes: [any StainNode.Type] = [
        ReadNode.self,
        WriteNode.self,
    ]
}
