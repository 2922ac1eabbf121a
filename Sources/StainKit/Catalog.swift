import EnhancementPlugins
import IOPlugins
import MetricPlugins
import NeuralPlugins
import StainCore
import SynthesisPlugins
import Vips

/// Every node family StainKit ships, in one registry. A new family adds one line here.
public enum Catalog {
    public static let registry = NodeRegistry(
        IOFamily.nodes + EnhancementFamily.nodes + SynthesisFamily.nodes + MetricFamily.nodes
        + NeuralFamily.nodes)

    /// Applies the run's one thread budget: libvips workers stream tiles; nodes that run BLAS on whole images set
    /// BLAS threads themselves for the span of their work.
    public static func configureThreads(_ threads: Int) {
        Vips.setConcurrency(threads)
    }
}
