import Foundation
import NeuralKernels

/// One training step's data: tensors in [−1, 1], NCHW.
public struct Batch: @unchecked Sendable {
    /// Dark-field x [N, 3, h, w] (student recipes).
    public var x: Tensor?
    /// Enhanced z as one gray channel [N, 1, h, w] (student recipes: G's 4th input channel).
    public var z: Tensor?
    /// Bright-field y [N, 3, h, w].
    public var y: Tensor
    /// Teacher targets G_t(z) [N, 3, h, w] when the teacher cache supplies them.
    public var teacher: Tensor?
    /// Index into trainA of each x (teacher cache), and the transform z got.
    public var items: [Int]
    public var zAugmentations: [Augmentation]

    public init(x: Tensor?, z: Tensor?, y: Tensor, teacher: Tensor?, items: [Int] = [],
                zAugmentations: [Augmentation] = []) {
        self.x = x
        self.z = z
        self.y = y
        self.teacher = teacher
        self.items = items
        self.zAugmentations = zAugmentations
    }
}

/// Produces the batch of any (epoch, step) as a pure function of the recipe's seed, so that a resumed run sees
/// exactly the batches an uninterrupted one would (no generator state to save), and so that batches can be made
/// ahead on another thread.
///
/// Per sample (docs/training.md, "Data"): the epoch's order is a seeded shuffle of max(|A|, |B|) positions; x and
/// z come from trainA/trainC at position mod |A| (the same image), y from a uniformly drawn trainB image
/// (unpaired) or x's partner (paired). x, z and y each get an independent jitter; x and z share one flip/rotate
/// mode and crop; y gets its own (unpaired) or the same (paired).
public final class BatchSource: @unchecked Sendable {
    public let kind: Recipe.Kind
    let darkfield: [String], enhanced: [String], brightfield: [String]
    let recipe: Recipe
    let width: Int, height: Int
    /// Teacher outputs for each trainA image (un-augmented, HWC float), filled by the trainer when caching.
    var teacherCache: [[Float]?]

    public init(recipe: Recipe, darkfield: [String], enhanced: [String], brightfield: [String], width: Int,
                height: Int) {
        kind = recipe.kind
        self.recipe = recipe
        self.darkfield = darkfield
        self.enhanced = enhanced
        self.brightfield = brightfield
        self.width = width
        self.height = height
        teacherCache = Array(repeating: nil, count: darkfield.count)
    }

    /// Samples per epoch: max(|A|, |B|) for a student, |B| for the teacher.
    public var epochLength: Int { kind == .teacher ? brightfield.count : max(darkfield.count, brightfield.count) }
    public var stepsPerEpoch: Int { (epochLength + recipe.batch - 1) / recipe.batch }

    /// The seeded order of an epoch's positions (Fisher–Yates).
    func order(epoch: Int) -> [Int] {
        var rng = SeededGenerator(seed: UInt64(recipe.seed), stream: 1, index: UInt64(epoch))
        var order = Array(0..<epochLength)
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
        }
        return order
    }

    /// The batch of step `step` (0-based, within the epoch) of `epoch`.
    public func batch(epoch: Int, step: Int) throws -> Batch {
        let order = self.order(epoch: epoch)
        let start = step * recipe.batch, end = min(start + recipe.batch, order.count)
        var xs: [Tensor] = [], zs: [Tensor] = [], ys: [Tensor] = [], ts: [Tensor] = []
        var items: [Int] = [], zAugmentations: [Augmentation] = []
        for position in start..<end {
            var rng = SeededGenerator(seed: UInt64(recipe.seed), stream: 2 + UInt64(epoch), index: UInt64(position))
            let item = order[position]
            let side = recipe.crop
            if kind == .teacher {
                let yAug = draw(&rng, side: side)
                ys.append(try load(brightfield[item % brightfield.count], yAug, fill: 0).tensor())
                continue
            }
            let a = item % darkfield.count
            let paired = kind == .studentPaired
            let b = paired ? a : Int(rng.next() % UInt64(brightfield.count))
            // x and z share the mode and crop; each has its own jitter. y has its own jitter, and its own mode and
            // crop unless the set is paired.
            let shared = draw(&rng, side: side)
            var xAug = shared, zAug = shared
            if recipe.jitter {
                xAug.jitter = .random(width: width, height: height, using: &rng)
                zAug.jitter = .random(width: width, height: height, using: &rng)
            }
            var yAug = draw(&rng, side: side)
            if paired { (yAug.mode, yAug.cropX, yAug.cropY, yAug.cropSide) = (shared.mode, shared.cropX, shared.cropY, shared.cropSide) }
            xs.append(try load(darkfield[a], xAug, fill: 0).tensor())
            zs.append(try load(enhanced[a], zAug, fill: 0).gray().tensor())
            ys.append(try load(brightfield[b], yAug, fill: 0).tensor())
            if let cached = teacherCache[a] {
                let (p, w, h) = zAug.apply(cached, width: width, height: height, channels: 3, fill: -1)
                ts.append(Tensor(interleaved: p, width: w, height: h, channels: 3))
            }
            items.append(a)
            zAugmentations.append(zAug)
        }
        return Batch(x: xs.isEmpty ? nil : try stackBatch(xs), z: zs.isEmpty ? nil : try stackBatch(zs),
                     y: try stackBatch(ys), teacher: ts.count == xs.count && !ts.isEmpty ? try stackBatch(ts) : nil,
                     items: items, zAugmentations: zAugmentations)
    }

    /// A mode, a crop and (for the teacher and y) a jitter.
    private func draw(_ rng: inout SeededGenerator, side: Int) -> Augmentation {
        var aug = Augmentation.identity
        if recipe.jitter { aug.jitter = .random(width: width, height: height, using: &rng) }
        if recipe.dihedral { aug.mode = Int(rng.next() % 8) }
        if side > 0 {
            aug.cropSide = side
            aug.cropX = Int(rng.next() % UInt64(width - side + 1))
            aug.cropY = Int(rng.next() % UInt64(height - side + 1))
        }
        return aug
    }

    private func load(_ path: String, _ aug: Augmentation, fill: UInt8) throws -> TrainingImage {
        let image = try TrainingImage.load(path)
        let (p, w, h) = aug.apply(image.pixels, width: image.width, height: image.height, channels: image.channels,
                                  fill: fill)
        return TrainingImage(width: w, height: h, channels: image.channels, pixels: p)
    }

    /// Un-augmented z of trainA image `index` as [1, 3, H, W] (the teacher's input, for the cache).
    func enhancedTensor(_ index: Int) throws -> Tensor {
        let gray = try TrainingImage.load(enhanced[index]).gray()
        let rgb = TrainingImage(width: gray.width, height: gray.height, channels: 3,
                                pixels: gray.pixels.flatMap { [$0, $0, $0] })
        return rgb.tensor()
    }
}

/// Makes batches one step ahead on a background thread, so decoding and augmentation overlap the compute.
public final class Prefetcher: @unchecked Sendable {
    /// One batch being made: written once by the background thread before `done` is signalled.
    private final class Job: @unchecked Sendable {
        let epoch: Int, step: Int
        var result: Result<Batch, Error>?
        let done = DispatchSemaphore(value: 0)
        init(epoch: Int, step: Int) { self.epoch = epoch; self.step = step }
    }

    let source: BatchSource
    private let queue = DispatchQueue(label: "stainkit.prefetch")
    private var pending: Job?

    public init(source: BatchSource) { self.source = source }

    /// The batch of (epoch, step); starts making `next` in the background.
    public func batch(epoch: Int, step: Int, next: (epoch: Int, step: Int)?) throws -> Batch {
        let result: Result<Batch, Error>
        if let job = pending, job.epoch == epoch, job.step == step {
            job.done.wait()
            // The job sets its result before signalling; without one, the batch is made here (the same batch).
            result = job.result ?? Result { try source.batch(epoch: epoch, step: step) }
        } else {
            pending?.done.wait()
            result = Result { try source.batch(epoch: epoch, step: step) }
        }
        pending = nil
        if let next {
            let job = Job(epoch: next.epoch, step: next.step)
            pending = job
            let source = self.source
            queue.async {
                job.result = Result { try source.batch(epoch: job.epoch, step: job.step) }
                job.done.signal()
            }
        }
        return try result.get()
    }

    /// Waits for the batch being made (before the process exits or the run folder changes).
    public func drain() { pending?.done.wait(); pending = nil }
}
