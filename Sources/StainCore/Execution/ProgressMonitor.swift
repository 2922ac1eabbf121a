import Vips

/// Connects libvips evaluation progress of an image to a run's `ProgressReporter`, and stops the evaluation when
/// the run is cancelled (Ctrl-C).
public enum ProgressMonitor {
    /// Runs `body`, which evaluates `image`, reporting its progress.
    public static func observe<T>(_ image: VipsImage, _ context: RunContext, _ body: () throws -> T) throws -> T {
        let reporter = context.progress, outputs = context.outputs
        do {
            return try image.observingProgress({ fraction in
                reporter.update(fraction)
                return !outputs.isCancelled
            }, body)
        } catch where outputs.isCancelled {
            throw NodeRunError(.interrupted, "interrupted")
        }
    }
}
