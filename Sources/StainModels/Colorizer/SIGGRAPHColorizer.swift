import NeuralKernels

/// The teacher colorizer (docs/paper.md ("Networks")): the paper's SIGGRAPH'17 variant with InstanceNorm, input (l, 0, 0),
/// additive skips and a built-in RGB↔LAB wrapper. 62 state-dict tensors including the unused `model_class` head.
public final class SIGGRAPHColorizer: StateDictModule, @unchecked Sendable {
    let encoder: [[Conv2dLayer]]      // model1 … model7
    let model8up: ConvTranspose2dLayer, model3short8: Conv2dLayer, model8: [Conv2dLayer]
    let modelClass: Conv2dLayer
    let model9up: ConvTranspose2dLayer, model2short9: Conv2dLayer, model9: Conv2dLayer
    let model10up: ConvTranspose2dLayer, model1short10: Conv2dLayer, model10: Conv2dLayer
    let modelOut: Conv2dLayer

    /// Channels of the first block; the paper's network has 64 (blocks of 64/128/256/512). Smaller widths scale
    /// every block alike, for colorizers that train on a CPU.
    public let width: Int

    /// A freshly initialised colorizer of `width` (PyTorch default init drawn from `seed`).
    public convenience init(width: Int = SIGGRAPHColorizerShape.paperWidth, seed: UInt64 = 0) {
        self.init(width: width, values: ParameterSource(seed: seed))
    }

    /// A colorizer holding the weights of `dict`, its width read from them (`width(of:)`), optionally after
    /// stripping a `module.` prefix (see `load(_:stripModulePrefix:)`). No random values are drawn: the strict load
    /// replaces every parameter or throws.
    public convenience init(weights dict: StateDict, stripModulePrefix: Bool) throws {
        self.init(width: try SIGGRAPHColorizer.width(of: dict), values: .unset)
        try load(dict, stripModulePrefix: stripModulePrefix)
    }

    /// The names and shapes of the parameters of a colorizer of `width`, in state-dict order, without drawing its
    /// weights: what a weights file for it must hold.
    public static func parameterShapes(width: Int) -> ParameterShapes {
        SIGGRAPHColorizer(width: width, values: .unset).parameterShapes
    }

    /// Checks a weights file's names and shapes against the colorizer they describe (its width read from them),
    /// with the rules and errors of `init(weights:stripModulePrefix:)`, so a file can be judged from its header
    /// before its values are read.
    public static func check(_ shapes: TensorShapes, stripModulePrefix: Bool) throws {
        let width = try width(of: shapes)
        try parameterShapes(width: width).check(stripModulePrefix ? shapes.strippingPrefix("module.") : shapes)
    }

    init(width: Int, values: ParameterSource) {
        precondition(width >= 1, "colorizer width must be ≥ 1")
        self.width = width
        let w = width
        var values = values
        func conv(_ name: String, _ cin: Int, _ cout: Int, k: Int = 3, dilation: Int = 1) -> Conv2dLayer {
            Conv2dLayer(name: name, inChannels: cin, outChannels: cout, kernel: k, padding: k == 3 ? dilation : 0,
                        dilation: dilation, values: &values)
        }
        func up(_ name: String, _ cin: Int, _ cout: Int) -> ConvTranspose2dLayer {
            ConvTranspose2dLayer(name: name, inChannels: cin, outChannels: cout, kernel: 4, stride: 2, padding: 1,
                                 values: &values)
        }
        encoder = SIGGRAPHColorizerShape.encoderBlocks(width: w).map { block in
            block.convs.enumerated().map { i, c in
                conv("\(block.name).\(2 * i)", c.0, c.1, dilation: block.dilation)
            }
        }
        model8up = up("model8up.0", 8 * w, 4 * w)
        model8 = [conv("model8.1", 4 * w, 4 * w), conv("model8.3", 4 * w, 4 * w)]
        model9up = up("model9up.0", 4 * w, 2 * w)
        model9 = conv("model9.1", 2 * w, 2 * w)
        model10up = up("model10up.0", 2 * w, 2 * w)
        model10 = conv("model10.1", 2 * w, 2 * w)
        model3short8 = conv("model3short8.0", 4 * w, 4 * w)
        model2short9 = conv("model2short9.0", 2 * w, 2 * w)
        model1short10 = conv("model1short10.0", w, 2 * w)
        modelClass = conv("model_class.0", 4 * w, 529, k: 1)
        modelOut = conv("model_out.0", 2 * w, 2, k: 1)
    }

    /// Parameters in the reference state-dict order (model1…model10, shortcuts, model_class, model_out).
    public var parameters: [Variable] {
        var layers: [[Variable]] = encoder.flatMap { $0.map(\.parameters) }
        layers += [model8up.parameters] + model8.map(\.parameters)
        layers += [model9up.parameters, model9.parameters, model10up.parameters, model10.parameters]
        layers += [model3short8.parameters, model2short9.parameters, model1short10.parameters]
        layers += [modelClass.parameters, modelOut.parameters]
        return layers.flatMap { $0 }
    }

    /// The width of the colorizer whose weights `dict` holds (from `model1.0.weight`, after an optional
    /// `module.` prefix), so a weights file alone says which network to build.
    public static func width(of dict: StateDict) throws -> Int {
        try width(of: dict.shapes)
    }

    /// The width from a weights file's names and shapes (its header), as `width(of:)` reads it from the weights.
    public static func width(of shapes: TensorShapes) throws -> Int {
        guard let first = shapes["model1.0.weight"] ?? shapes["module.model1.0.weight"] else {
            throw ModelError.missingTensor(name: "model1.0.weight")
        }
        guard first.count == 4, first[0] >= 1, first[1] == 3 else {
            throw ModelError.shapeMismatch(name: "model1.0.weight", expected: [-1, 3, 3, 3], found: first)
        }
        return first[0]
    }

    /// Loads weights, optionally stripping a DataParallel `module.` prefix from every key first (the teacher
    /// checkpoints are assumed to carry it; the reference loader drops the first 7 characters).
    public func load(contentsOf path: String, stripModulePrefix: Bool) throws {
        try load(StateDict.load(path), stripModulePrefix: stripModulePrefix)
    }

    /// Loads weights from memory, optionally stripping a `module.` prefix first (strict).
    public func load(_ dict: StateDict, stripModulePrefix: Bool) throws {
        try load(stripModulePrefix ? dict.strippingPrefix("module.") : dict)
    }

    /// The network alone: [N, 3, H, W] (normally (l, 0, 0)) → normalised ab = tanh(·) in [−1, 1], [N, 2, H, W].
    /// H and W must be multiples of 8. The unused `model_class` head is not computed (its result is discarded by
    /// the reference too).
    public func network(_ input: Variable) throws -> Variable {
        try checkNetworkInput(input.value)
        var features: [Variable] = []
        var x = input
        for (b, block) in encoder.enumerated() {
            if (1...3).contains(b) { x = try subsample(x, step: 2) }
            for conv in block { x = relu(try conv(x)) }
            x = try instanceNorm(x)
            features.append(x)
        }
        let (c1, c2, c3) = (features[0], features[1], features[2])
        x = try add(model8up(x), model3short8(c3))
        for conv in model8 { x = relu(try conv(relu(x))) }
        x = try instanceNorm(x)
        x = try add(model9up(x), model2short9(c2))
        x = try instanceNorm(relu(model9(relu(x))))
        x = try add(model10up(x), model1short10(c1))
        x = leakyRelu(try model10(relu(x)), slope: 0.2)
        return tanh(try modelOut(x))
    }

    /// The teacher as used in training: RGB in [−1, 1] → l → network(l, 0, 0) → ab → RGB in [−1, 1] (no upper
    /// clamp). Gradients flow into the network's parameters (through ab), not into the input.
    public func callAsFunction(_ rgb: Variable) throws -> Variable {
        let l = Variable(try SIGGRAPHColorizer.lightness(rgb.value))
        let zero = Variable(Tensor(zeros: l.shape))
        let ab = try network(concatChannels([l, zero, zero]))
        return try LabColorOps.rgb(lightness: l, ab: ab)
    }

    /// Inference on a tensor: the same computation as `callAsFunction` on plain tensors with in-place ReLU, norm
    /// and adds, and the buffer version of the colour conversion. `normalizer`, when given, supplies the statistics
    /// of the network's `instanceNormLayerCount` InstanceNorm layers (e.g. frozen for tiled execution).
    public func forward(_ rgb: Tensor, normalizer: (any InstanceNormalizing)? = nil) throws -> Tensor {
        let l = try SIGGRAPHColorizer.lightness(rgb)
        let zero = Tensor(zeros: l.shape)
        let ab = try networkForward(Kernels.concatChannels([l, zero, zero]), normalizer: normalizer)
        var out = Tensor(uninitializedShape: rgb.shape)
        l.withUnsafePointer { lp in
            ab.withUnsafePointer { abp in
                out.withUnsafeMutablePointer { o in
                    LabColor.rgb(lightness: lp, ab: abp, into: o, batch: l.shape[0], pixels: l.shape[2] * l.shape[3])
                }
            }
        }
        return out
    }

    /// Number of InstanceNorm layers one forward pass applies (what a normalizer is called for).
    public static let instanceNormLayerCount = 9

    /// `network` on plain tensors (inference).
    public func networkForward(_ input: Tensor, normalizer: (any InstanceNormalizing)? = nil) throws -> Tensor {
        try checkNetworkInput(input)
        func conv(_ layer: Conv2dLayer, _ x: Tensor) throws -> Tensor {
            try Kernels.conv2d(x, weight: layer.weight.value, bias: layer.bias?.value, stride: layer.stride,
                               padding: layer.padding, dilation: layer.dilation)
        }
        func convRelu(_ layer: Conv2dLayer, _ x: Tensor) throws -> Tensor {
            var y = try conv(layer, x)
            Kernels.reluInPlace(&y)
            return y
        }
        func up(_ layer: ConvTranspose2dLayer, _ x: Tensor) throws -> Tensor {
            try Kernels.convTranspose2d(x, weight: layer.weight.value, bias: layer.bias?.value, stride: layer.stride,
                                        padding: layer.padding, outputPadding: layer.outputPadding)
        }
        var features: [Tensor] = []
        var x = input
        for (b, block) in encoder.enumerated() {
            if (1...3).contains(b) { x = try Kernels.subsample(x, step: 2) }
            for layer in block { x = try convRelu(layer, x) }
            try normalizer.normalize(&x, relu: false)
            features.append(x)
        }
        var y = try up(model8up, x)
        try Kernels.addInPlace(&y, conv(model3short8, features[2]))
        Kernels.reluInPlace(&y)
        y = try convRelu(model8[1], convRelu(model8[0], y))
        try normalizer.normalize(&y, relu: false)
        var z = try up(model9up, y)
        try Kernels.addInPlace(&z, conv(model2short9, features[1]))
        Kernels.reluInPlace(&z)
        z = try convRelu(model9, z)
        try normalizer.normalize(&z, relu: false)
        var u = try up(model10up, z)
        try Kernels.addInPlace(&u, conv(model1short10, features[0]))
        Kernels.reluInPlace(&u)
        u = try Kernels.leakyRelu(conv(model10, u), slope: 0.2)
        return Kernels.tanh(try conv(modelOut, u))
    }

    private func checkNetworkInput(_ input: Tensor) throws {
        let (_, c, h, w) = try input.nchw("SIGGRAPHColorizer")
        guard c == 3 else { throw ModelError.invalidInput("colorizer network expects 3 channels, got \(c)") }
        guard h >= 8, w >= 8, h % 8 == 0, w % 8 == 0 else {
            throw ModelError.invalidInput("the colorizer needs height and width that are positive multiples of 8, "
                                          + "got \(h)×\(w)")
        }
    }

    /// Normalised lightness (L − 50)/100 of RGB in [−1, 1]: [N, 3, H, W] → [N, 1, H, W].
    public static func lightness(_ rgb: Tensor) throws -> Tensor {
        let (n, c, h, w) = try rgb.nchw("SIGGRAPHColorizer.lightness")
        guard c == 3 else { throw ModelError.invalidInput("lightness expects 3 channels, got \(c)") }
        var l = Tensor(uninitializedShape: [n, 1, h, w])
        rgb.withUnsafePointer { rgbp in
            l.withUnsafeMutablePointer { out in
                LabColor.normalizedLightness(rgb: rgbp, into: out, batch: n, pixels: h * w)
            }
        }
        return l
    }
}
