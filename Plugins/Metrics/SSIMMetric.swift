/// `ssim`: MATLAB-style SSIM (11×11 Gaussian σ 1.5, valid region, per channel, C1/C2 on 0–255), as the paper.
public enum SSIMMetric: PairedMetricKind {
    public static let metric = Evaluation.Metric.ssim
    public static let summary = "SSIM (11×11 Gaussian σ 1.5, valid region, per RGB channel) against references"
    public static let referenceDoc = "ground-truth image(s)"
}
