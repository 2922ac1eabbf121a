/// `lpips`: LPIPS (AlexNet, v0.1) against references; weights from a file, never downloaded.
public enum LPIPSMetric: PairedMetricKind {
    public static let metric = Evaluation.Metric.lpips
    public static let summary = "LPIPS (AlexNet v0.1) of predictions against same-named references"
    public static let referenceDoc = "ground-truth image(s)"
}
