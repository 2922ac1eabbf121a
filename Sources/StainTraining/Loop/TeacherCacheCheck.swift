import NeuralKernels
import StainModels

/// How far the teacher cache (`train.teacher-cache`) is from the paper code's behaviour. The cache computes G_t(z)
/// once per training image and applies each step's augmentation of z to that result; the paper code runs G_t on
/// the augmented z every step. The two differ where the augmentation does not commute with the network: the affine
/// jitter resamples pixels, and instance norm and a receptive field of hundreds of pixels see the moved borders.
/// Measured in 8-bit output levels over random draws of image and augmentation, as the trainer would draw them.
public enum TeacherCacheCheck {
    public struct Result: Sendable {
        /// Mean and max |cached − recomputed| over every pixel and channel of every draw, in 8-bit levels.
        public let meanLevels: Double
        public let maxLevels: Double
        /// Fraction of values differing by more than 2 levels.
        public let fractionOver2: Double
        public let draws: Int
    }

    /// `enhanced`: the z images (trainC or the run's cached z); `jitter`/`dihedral` as the recipe's augmentation.
    public static func measure(enhanced paths: [String], teacher: SIGGRAPHColorizer, draws: Int, seed: UInt64,
                               jitter: Bool, dihedral: Bool) throws -> Result {
        var rng = SeededGenerator(seed: seed)
        var sum = 0.0, worst = 0.0, over = 0, count = 0
        for _ in 0..<draws {
            let gray = try TrainingImage.load(paths[Int(rng.next() % UInt64(paths.count))]).gray()
            let z = TrainingImage(width: gray.width, height: gray.height, channels: 3,
                                  pixels: gray.pixels.flatMap { [$0, $0, $0] })
            var aug = Augmentation.identity
            if jitter { aug.jitter = .random(width: z.width, height: z.height, using: &rng) }
            if dihedral { aug.mode = Int(rng.next() % 8) }
            // Cached: G_t(z), then the augmentation (outside fill −1, black, as the batch source fills it).
            let whole = try withoutGrad { try teacher.forward(z.tensor()) }.interleaved()
            let cached = aug.apply(whole, width: z.width, height: z.height, channels: 3, fill: -1)
            // Recomputed: the augmentation of z (outside fill 0), then G_t.
            let moved = aug.apply(z.pixels, width: z.width, height: z.height, channels: 3, fill: 0)
            let zMoved = TrainingImage(width: moved.width, height: moved.height, channels: 3, pixels: moved.pixels)
            let recomputed = try withoutGrad { try teacher.forward(zMoved.tensor()) }.interleaved()
            for (a, b) in zip(cached.pixels, recomputed) {
                let d = Double(abs(a - b)) * 127.5
                sum += d
                worst = max(worst, d)
                if d > 2 { over += 1 }
                count += 1
            }
        }
        return Result(meanLevels: sum / Double(max(count, 1)), maxLevels: worst,
                      fractionOver2: Double(over) / Double(max(count, 1)), draws: draws)
    }
}
