/// `lpips-c`: LPIPS between the quantized luma of each prediction (×3) and its enhanced input z (DSD_U).
public enum LPIPSColorFreeMetric: PairedMetricKind {
    public static let metric = Evaluation.Metric.lpipsC
    public static let summary = "LPIPS-c: LPIPS between the luma of each prediction and its enhanced image z"
    public static let referenceDoc = "enhanced image(s) z, same names"
}
