import Foundation
import NeuralKernels

/// Where LPIPS's weights come from, and the errors when they are missing.
public enum LPIPSWeights: PretrainedWeights {
    public static let displayName = "LPIPS (AlexNet v0.1)"
    public static let environmentVariable = "STAINKIT_LPIPS_WEIGHTS"
    public static let howToGet = """
        create it once with `python scripts/convert_weights.py lpips lpips_alex_v0.1.safetensors` (needs torch, \
        torchvision and `pip install lpips==0.1.4`; torchvision downloads alexnet-owt-7be5be79.pth, or pass \
        --alexnet PATH), then pass its path or set \(environmentVariable)
        """
}
