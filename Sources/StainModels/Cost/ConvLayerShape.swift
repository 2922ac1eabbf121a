/// How transposed convolutions are counted.
public enum FlopConvention: String, Sendable, CaseIterable {
    /// The paper's convention (torchprofile): a ConvTranspose2d costs H_out·W_out·C_in·C_out·k², i.e. it is
    /// counted on the output grid. FLOPs = 2 × MACs. Reproduces 114.01 G for G at 256².
    case paper
    /// Real multiplies: a ConvTranspose2d costs H_in·W_in·C_in·C_out·k². Use this for speed (99.51 G for G at 256²).
    case trueMultiplies
}

/// One convolution-like layer as the counters see it: channels, kernel and the spatial sizes it runs at.
public struct ConvLayerShape: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case convolution, transposedConvolution }

    /// State-dict prefix of the layer (e.g. `model_head.1`).
    public var name: String
    public var kind: Kind
    public var inChannels: Int
    public var outChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var hasBias: Bool
    public var inputHeight: Int
    public var inputWidth: Int
    public var outputHeight: Int
    public var outputWidth: Int

    public init(name: String, kind: Kind, inChannels: Int, outChannels: Int, kernelHeight: Int, kernelWidth: Int,
                hasBias: Bool, inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int) {
        self.name = name
        self.kind = kind
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.hasBias = hasBias
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }

    /// Weight plus bias element count.
    public var parameterCount: Int {
        inChannels * outChannels * kernelHeight * kernelWidth + (hasBias ? outChannels : 0)
    }

    /// Multiply-accumulates of one pass for batch 1 (bias, norm and activations are not counted).
    public func multiplyAccumulates(_ convention: FlopConvention) -> Int {
        let perPixel = inChannels * outChannels * kernelHeight * kernelWidth
        switch (kind, convention) {
        case (.transposedConvolution, .trueMultiplies): return inputHeight * inputWidth * perPixel
        default: return outputHeight * outputWidth * perPixel
        }
    }
}
