/// Renames ResNet-generator state-dict keys between the paper/Reg-GAN layout (`model_head`, `model_body`,
/// `model_tail`) and junyanz CycleGAN's single `model` Sequential (docs/paper.md ("Networks")). Shapes are identical.
public enum JunyanzGeneratorNames {
    /// Buffer suffixes of old junyanz checkpoints (InstanceNorm with track_running_stats); they carry no weights.
    static let bufferSuffixes = [".running_mean", ".running_var", ".num_batches_tracked"]

    /// Paper key → junyanz key, for a generator with `blocks` residual blocks.
    public static func junyanzKey(forPaperKey key: String, blocks: Int) throws -> String {
        let parts = key.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let index = Int(parts[1]) else { throw ModelError.unexpectedTensor(name: key) }
        let rest = parts[2]
        switch parts[0] {
        case "model_head" where index < 10: return "model.\(index).\(rest)"
        case "model_body" where index < blocks: return "model.\(10 + index).\(rest)"
        case "model_tail": return "model.\(10 + blocks + index).\(rest)"
        default: throw ModelError.unexpectedTensor(name: key)
        }
    }

    /// junyanz key → paper key; nil for the running-statistics buffers of old checkpoints (to be dropped).
    public static func paperKey(forJunyanzKey key: String, blocks: Int) throws -> String? {
        if bufferSuffixes.contains(where: { key.hasSuffix($0) }) { return nil }
        let parts = key.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "model", let index = Int(parts[1]) else {
            throw ModelError.unexpectedTensor(name: key)
        }
        let rest = parts[2]
        if index < 10 { return "model_head.\(index).\(rest)" }
        if index < 10 + blocks { return "model_body.\(index - 10).\(rest)" }
        return "model_tail.\(index - 10 - blocks).\(rest)"
    }

    /// `items` under paper names: a junyanz-layout list renamed (the running-statistics buffers of old checkpoints
    /// dropped), any other list as it is. Generic over the value so that loading (tensors) and checking a file's
    /// header (shapes) rename alike.
    public static func paperLayout<Value>(_ items: [(String, Value)], blocks: Int) throws -> [(String, Value)] {
        guard isJunyanzLayout(items.lazy.map(\.0)) else { return items }
        return try items.compactMap { key, value in
            try paperKey(forJunyanzKey: key, blocks: blocks).map { ($0, value) }
        }
    }

    /// Whether `keys` look like a junyanz generator (all under `model.`).
    public static func isJunyanzLayout<S: Sequence>(_ keys: S) -> Bool where S.Element == String {
        var any = false
        for key in keys {
            guard key.hasPrefix("model.") else { return false }
            any = true
        }
        return any
    }
}
