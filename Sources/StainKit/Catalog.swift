import EnhancementPlugins
import IOPlugins
import NeuralKernels
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

    /// Applies the run's one thread budget to libvips workers and to BLAS. The two never multiply: BLAS work runs
    /// on one thread at a time (metric networks on the run's thread; network nodes one tile at a time), while
    /// libvips workers only read, decode and encode.
    public static func configureThreads(_ threads: Int) {
        Vips.setConcurrency(threads)
        ComputeThreads.set(threads)
    }
}
