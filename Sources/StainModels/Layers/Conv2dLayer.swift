import NeuralKernels

/// A Conv2d (OIHW weight, optional bias, zero padding) whose parameters carry their state-dict names.
public final class Conv2dLayer: @unchecked Sendable {
    /// State-dict prefix, e.g. `model_head.1`.
    public let name: String
    public let weight: Variable
    public let bias: Variable?
    public let stride: Int
    public let padding: Int
    public let dilation: Int

    /// A layer with PyTorch-default initialisation (or `weightInit`/`biasInit` when given).
    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, weightInit: ParameterInit? = nil, biasInit: ParameterInit? = nil,
                values: inout ParameterSource) {
        self.name = name
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        let shape = [outChannels, inChannels, kernel, kernel]
        let defaultInit = ParameterInit.pytorchDefault(weightShape: shape)
        weight = values.parameter("\(name).weight", shape, weightInit ?? defaultInit)
        self.bias = bias ? values.parameter("\(name).bias", [outChannels], biasInit ?? defaultInit) : nil
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        try conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }

    var parameters: [Variable] { [weight] + (bias.map { [$0] } ?? []) }
}

/// A ConvTranspose2d (IOHW weight, bias) whose parameters carry their state-dict names.
public final class ConvTranspose2dLayer: @unchecked Sendable {
    public let name: String
    public let weight: Variable
    public let bias: Variable?
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int

    /// A layer with PyTorch-default initialisation: fan_in = weight.size(1)·k² = C_out·k².
    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int,
                outputPadding: Int = 0, values: inout ParameterSource) {
        self.name = name
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        let shape = [inChannels, outChannels, kernel, kernel]
        let initializer = ParameterInit.pytorchDefault(weightShape: shape)
        weight = values.parameter("\(name).weight", shape, initializer)
        bias = values.parameter("\(name).bias", [outChannels], initializer)
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        try convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding,
                            outputPadding: outputPadding)
    }

    var parameters: [Variable] { [weight] + (bias.map { [$0] } ?? []) }
}
