/// The paper code's schedule: lr0 for the first epochs; after epoch e (0-based) ends with e > D,
/// lr ← lr0·(E − e)/(E − D). With E = 300, D = 200 this is lr0 up to epoch 201, then (301 − e)/100·lr0; it never
/// reaches 0. (The paper's text says "constant for 200, then linear to 0"; the code is what its numbers came from.)
public struct LearningRateSchedule: Sendable, Equatable {
    public let initial: Double
    public let epochs: Int
    public let decayAfter: Int

    public init(initial: Double, epochs: Int, decayAfter: Int) {
        self.initial = initial
        self.epochs = epochs
        self.decayAfter = decayAfter
    }

    /// The learning rate used during epoch `epoch` (0-based).
    public func rate(epoch: Int) -> Double {
        let last = epoch - 1  // the epoch whose end set this rate
        guard last > decayAfter else { return initial }
        return initial * Double(epochs - last) / Double(epochs - decayAfter)
    }
}
