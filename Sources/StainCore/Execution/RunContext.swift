/// What a running node may use besides its inputs: thread budget, progress reporting, and output staging.
public struct RunContext: Sendable {
    /// The one thread budget of this run (libvips workers or BLAS threads, never both multiplied).
    public let threads: Int
    public let progress: any ProgressReporter
    public let outputs: OutputStaging

    public init(threads: Int, progress: any ProgressReporter = SilentProgress(), outputs: OutputStaging = OutputStaging()) {
        self.threads = threads
        self.progress = progress
        self.outputs = outputs
    }
}

/// Receives progress of long passes (statistics or output writing).
public protocol ProgressReporter: Sendable {
    /// A pass named `label` has begun.
    func begin(_ label: String)
    /// The current pass is `fraction` (0...1) done.
    func update(_ fraction: Double)
    /// The current pass has ended.
    func end()
    /// A tiled node finished one more tile (computed, or left out as glass).
    func tiles(_ progress: TileProgress)
}

extension ProgressReporter {
    public func tiles(_ progress: TileProgress) {}
}

/// Where a tiled node stands: tiles done of its grid, and how many of them were computed or left out.
public struct TileProgress: Sendable {
    public let node: String
    public let total: Int
    public let computed: Int
    public let skipped: Int
    /// Seconds spent in the network on the computed tiles so far (their isolated compute time).
    public let computeSeconds: Double
    public var done: Int { computed + skipped }

    public init(node: String, total: Int, computed: Int, skipped: Int, computeSeconds: Double = 0) {
        self.node = node
        self.total = total
        self.computed = computed
        self.skipped = skipped
        self.computeSeconds = computeSeconds
    }
}

/// Reports nothing.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func begin(_ label: String) {}
    public func update(_ fraction: Double) {}
    public func end() {}
}
