import MetricPlugins
import StainCore

/// Metric evaluation over folders of images, exactly as the metric nodes compute it, for tools that evaluate
/// without a pipeline file (`stain eval`). Applications reach it, like the nodes, through StainKit.
public typealias Evaluation = MetricPlugins.Evaluation

extension Table {
    /// Several metric tables as one: rows and columns matched by name (the `merge-tables` node's rule).
    public static func merged(_ tables: [Table]) -> Table { MergeTablesNode.merge(tables) }
}
