import StainCore

/// Ports and parameters every metric node shares, declared once and embedded in each node's declaration.
enum MetricPorts {
    static let prediction = InputPort("prediction", [.image, .imageSet], doc: "predicted image(s): an image or a folder (read-folder)")
    static func reference(_ doc: String) -> InputPort { InputPort("reference", [.image, .imageSet], doc: doc) }
    static let table = OutputPort("out", .table, doc: "one row per image (or per set), one column per value")
    static let allowUnpaired = Parameter("allow-unpaired", default: false,
                                         doc: "skip images without a same-named partner instead of failing")
    /// Weights are files, so a relative path written in a pipeline file is relative to it (docs/pipeline-files.md).
    static let lpipsWeights = Parameter<InputFile?>("weights",
                                                 doc: "LPIPS safetensors (scripts/convert_weights.py); empty: $STAINKIT_LPIPS_WEIGHTS")
    static let inceptionWeights = Parameter<InputFile?>("weights",
                                                     doc: "FID-Inception safetensors (scripts/convert_weights.py); empty: $STAINKIT_FID_INCEPTION_WEIGHTS")
}
