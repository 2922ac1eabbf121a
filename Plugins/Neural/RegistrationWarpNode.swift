import NeuralKernels
import StainCore
import StainModels
import Vips

/// `registration-warp`: warps `moving` by a displacement field — one given on the `field` port (2-band float, as
/// `misalign` writes it), or one the registration net R of Learning-to-Align predicts from (moving, fixed).
///
/// Convention (the same as `misalign` and R's flow φ): band 0 = row (y) displacement, band 1 = column (x)
/// displacement, in pixels; out(p) = moving(p + d(p)), sampled bilinearly with border padding and
/// align_corners = True (PyTorch `grid_sample` as the paper code's `Transformer_2D` calls it).
/// Images run whole, up to `max-pixels`; larger ones fail with a message (R's receptive field spans the whole
/// image through its 7 pooling levels, so it has no tile-and-halo form that equals the whole-image result).
public struct RegistrationWarpNode: StainNode {
    public static let name = "registration-warp"
    public static let summary = "Warp an image by a displacement field: given (2-band float) or predicted by the registration net R"

    public struct Declaration: NodeDeclaration {
        public init() {}
        let moving = InputPort("moving", doc: "image to warp (8-bit), e.g. a stained prediction ŷ")
        let fixed = InputPort("fixed", optional: true, doc: "image to align to (8-bit RGB), needed when R predicts the field")
        let fieldIn = InputPort("field", bands: [2], optional: true,
                                doc: "displacement field: band 0 = dy, band 1 = dx, pixels (as misalign writes it)")
        let out = OutputPort("out", bands: .sameAs("moving"), doc: "moving warped onto fixed (8-bit)")
        let field = OutputPort("field", bands: .fixed(2), doc: "the field that was applied (2-band float)")
        let weights = Parameter<InputFile?>("weights",
                                            doc: "registration net R (safetensors, `offset_map.` names); empty: use the field input")
        let registrationWidth = Parameter("registration-width", default: 64, range: 2...512,
                                          doc: "channels of R's levels (paper 64; as the recipe that trained it)")
        let registrationDepth = Parameter("registration-depth", default: 7, range: 1...10, doc: "down/up levels of R (paper 7)")
        let maxPixels = Parameter("max-pixels", default: 16_777_216, range: 1...1_073_741_824,
                                  doc: "largest image (width × height) warped in one piece")
    }

    /// R, read from `weights` when a run first needs it (construction checks the file's header only); nil
    /// without weights.
    let registration: DeferredNetwork<RegistrationNet>?
    let maxPixels: Int

    public init(_ p: Configuration<Declaration>) throws {
        maxPixels = try p.maxPixels
        guard let path = try p.weights?.path else {
            registration = nil
            return
        }
        let w = try p.registrationWidth, depth = try p.registrationDepth
        let config = RegistrationConfig.scaled(width: w, depth: depth)
        let detail = " (registration width \(w), depth \(depth))"
        do {
            try RegistrationNet.parameterShapes(config: config).check(WeightsFile.shapes(path))
        } catch {
            throw p.problem(\.weights, "\(path): \(error)\(detail)", kind: .unreadableInput)
        }
        registration = DeferredNetwork(path: path, detail: detail) { try RegistrationNet(config: config, weights: $0) }
    }

    public func run(_ inputs: Inputs<Declaration>, _ context: RunContext) throws -> Outputs<Declaration> {
        let moving = try inputs.image(\.moving)
        guard moving.width * moving.height <= maxPixels else {
            throw NodeRunError(.failure, "node '\(inputs.node)': registration-warp runs whole images up to max-pixels "
                               + "\(maxPixels); this one is \(moving.width)×\(moving.height): crop or downsample it")
        }
        let movingTensor = try Self.tensor(moving.cast(to: .uchar))
        let flow: Tensor
        if let fieldImage = inputs.optionalImage(\.fieldIn) {
            guard fieldImage.width == moving.width, fieldImage.height == moving.height else {
                throw NodeRunError(.failure, "node '\(inputs.node)': the field is \(fieldImage.width)×\(fieldImage.height), "
                                   + "moving is \(moving.width)×\(moving.height)")
            }
            flow = Tensor(interleaved: try fieldImage.cast(to: .float).pixels(as: Float.self), width: moving.width,
                          height: moving.height, channels: 2)
        } else if let registration {
            let registration = try registration.network()
            guard let fixed = inputs.optionalImage(\.fixed) else {
                throw NodeRunError(.failure, "node '\(inputs.node)': R needs the fixed image (connect 'fixed')")
            }
            guard fixed.width == moving.width, fixed.height == moving.height, fixed.bands == 3, moving.bands == 3 else {
                throw NodeRunError(.failure, "node '\(inputs.node)': R needs two RGB images of one size, got moving "
                                   + "\(moving.width)×\(moving.height)×\(moving.bands), fixed \(fixed.width)×\(fixed.height)×\(fixed.bands)")
            }
            let fixedTensor = try Self.tensor(fixed.cast(to: .uchar))
            flow = try withoutGrad {
                try registration(Variable(Self.normalised(movingTensor)), Variable(Self.normalised(fixedTensor))).value
            }
        } else {
            throw NodeRunError(.failure, "node '\(inputs.node)': connect a 'field' input or set 'weights' (R)")
        }
        let warped = try withoutGrad {
            try SpatialTransformer.warp(Variable(movingTensor), flow: Variable(flow)).value
        }
        let bytes = warped.interleaved().map { UInt8(max(0, min(255, $0.rounded(.toNearestOrEven)))) }
        let out = try VipsImage.from(buffer: bytes, width: moving.width, height: moving.height, bands: moving.bands)
        let field = try VipsImage.from(buffer: flow.interleaved(), width: moving.width, height: moving.height, bands: 2)
        return [\.out: .image(out), \.field: .image(field)]
    }

    /// 8-bit image → [1, C, H, W] holding the raw values 0…255 (the warp is linear, so no scaling is needed).
    static func tensor(_ image: VipsImage) throws -> Tensor {
        Tensor(interleaved: try image.pixels(as: UInt8.self).map(Float.init), width: image.width, height: image.height,
               channels: image.bands)
    }

    /// 0…255 → [−1, 1], the range R was trained on.
    static func normalised(_ t: Tensor) -> Tensor {
        var out = t
        out.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] = (b[i] - 127.5) / 127.5 } }
        return out
    }
}
