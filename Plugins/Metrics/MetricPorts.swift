import StainCore

/// Ports and parameters every metric node shares.
enum MetricPorts {
    static let prediction = InputPort("prediction", [.image, .imageSet], doc: "predicted image(s): an image or a folder (read-folder)")
    static func reference(_ doc: String) -> InputPort { InputPort("reference", [.image, .imageSet], doc: doc) }
    static let table = OutputPort("out", .table, doc: "one row per image (or per set), one column per value")
    static let allowUnpaired = ParameterSpec("allow-unpaired", .bool, default: .bool(false),
                                             doc: "skip images without a same-named partner instead of failing")
    static let lpipsWeights = ParameterSpec("weights", .string, default: .string(""),
                                            doc: "LPIPS safetensors (scripts/convert_weights.py); empty: $STAINKIT_LPIPS_WEIGHTS")
    static let inceptionWeights = ParameterSpec("weights", .string, default: .string(""),
                                                doc: "FID-Inception safetensors (scripts/convert_weights.py); empty: $STAINKIT_FID_INCEPTION_WEIGHTS")
}
