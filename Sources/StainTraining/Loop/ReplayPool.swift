import NeuralKernels

/// The replay buffer of generated images shown to a discriminator (CycleGAN's ImagePool, as the paper code uses
/// it): while not full, store and return each image; once full, with probability ½ return a random stored image
/// and store the new one in its place, otherwise return the new one. Its contents and generator state are part
/// of a checkpoint.
public final class ReplayPool {
    public let capacity: Int
    public private(set) var images: [Tensor] = []
    var rng: SeededGenerator

    public init(capacity: Int, seed: UInt64) {
        self.capacity = capacity
        rng = SeededGenerator(seed: seed)
    }

    /// The images to show D for a batch of generated images (each [1, C, H, W] item handled on its own).
    public func query(_ batch: Tensor) throws -> Tensor {
        guard capacity > 0 else { return batch }
        var out: [Tensor] = []
        for i in 0..<batch.shape[0] {
            let image = try batchItem(batch, i)
            if images.count < capacity {
                images.append(image)
                out.append(image)
            } else if rng.unit() > 0.5 {
                let slot = Int(rng.next() % UInt64(capacity))
                out.append(images[slot])
                images[slot] = image
            } else {
                out.append(image)
            }
        }
        return try stackBatch(out)
    }

    /// Contents as `prefix.i` tensors plus the generator state in metadata.
    func save(into dict: inout StateDict, prefix: String) {
        for (i, image) in images.enumerated() { dict["\(prefix).\(i)"] = image }
        dict.metadata["\(prefix).count"] = "\(images.count)"
        dict.metadata["\(prefix).rng"] = "\(rng.state)"
    }

    func load(from dict: StateDict, prefix: String) throws {
        guard let countText = dict.metadata["\(prefix).count"], let count = Int(countText),
              let stateText = dict.metadata["\(prefix).rng"], let state = UInt64(stateText) else {
            throw TensorError.missingKey("\(prefix) (replay pool)")
        }
        images = try (0..<count).map { try dict.tensor("\(prefix).\($0)") }
        rng = SeededGenerator(seed: state)
    }
}
