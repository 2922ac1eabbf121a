import StainCore

/// The metric node family: image quality and distribution metrics, and metric tables.
public enum MetricFamily {
    public static let nodes: [any StainNode.Type] = [
        ReadFolderNode.self,
        PSNRNode.self,
        SSIMNode.self,
        LPIPSNode.self,
        LPIPSColorFreeNode.self,
        NIQENode.self,
        FIDNode.self,
        KIDNode.self,
        MergeTablesNode.self,
        WriteTableNode.self,
    ]
}
