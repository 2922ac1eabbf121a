/// `psnr`: 20·log10(255/√MSE) over H·W·3 of each 8-bit pair (the paper's DSD_P evaluation).
public enum PSNRMetric: PairedMetricKind {
    public static let metric = Evaluation.Metric.psnr
    public static let summary = "PSNR of predictions against same-named references (8-bit RGB, MSE over H·W·3)"
    public static let referenceDoc = "ground-truth image(s)"
}
