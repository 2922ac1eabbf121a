import StainCore

/// The metric node family: image quality and distribution metrics, and metric tables.
public enum MetricFamily {
    public static let nodes: [any StainNode.Type] = [
        ReadFolderNode.self,
        PairedMetricNode<PSNRMetric>.self,
        PairedMetricNode<SSIMMetric>.self,
        PairedMetricNode<LPIPSMetric>.self,
        PairedMetricNode<LPIPSColorFreeMetric>.self,
        NIQENode.self,
        FIDNode.self,
        KIDNode.self,
        NetworkCostNode<ParameterCount>.self,
        NetworkCostNode<FlopCount>.self,
        MergeTablesNode.self,
        WriteTableNode.self,
    ]
}
