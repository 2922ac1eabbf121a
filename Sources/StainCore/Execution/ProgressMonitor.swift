import Vips

/// Connects libvips evaluation progress of an image to a run's `ProgressReporter`.
public enum ProgressMonitor {
    /// Runs `body`, which evaluates `image`, reporting its progress.
    public static func observe<T>(_ image: VipsImage, _ reporter: any ProgressReporter,
                                  _ body: () throws -> T) throws -> T {
        try image.observingProgress({ reporter.update($0) }, body)
    }
}
