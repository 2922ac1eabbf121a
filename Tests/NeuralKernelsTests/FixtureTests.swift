import XCTest
@testable import NeuralKernels

/// Forward and gradient checks of every op against PyTorch (fixtures from scripts/fixtures/make_kernel_fixtures.py).
final class FixtureTests: XCTestCase {
    /// Loads `name`, runs its op on Variables, back-propagates `seed` and compares output and gradients.
    private func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let d = try StateDict.load(fixturePath("\(name).safetensors"))
        let meta = d.metadata
        let op = try XCTUnwrap(meta["op"])
        let consts = Set((meta["const"] ?? "").split(separator: ",").map(String.init))
        var vars: [String: Variable] = [:]
        var order: [String] = []
        for key in d.names where key.hasPrefix("in.") {
            let k = String(key.dropFirst(3))
            vars[k] = Variable(try d.tensor(key), requiresGrad: !consts.contains(k))
            order.append(k)
        }
        func v(_ k: String) throws -> Variable { try XCTUnwrap(vars[k], "\(name): input \(k)") }
        func int(_ k: String) throws -> Int { try XCTUnwrap(Int(meta[k] ?? ""), "\(name): meta \(k)") }
        func float(_ k: String) throws -> Float { try XCTUnwrap(Float(meta[k] ?? ""), "\(name): meta \(k)") }

        let y: Variable
        switch op {
        case "conv2d":
            y = try conv2d(v("x"), weight: v("w"), bias: v("b"), stride: int("stride"), padding: int("padding"),
                           dilation: int("dilation"))
        case "convTranspose2d":
            y = try convTranspose2d(v("x"), weight: v("w"), bias: v("b"), stride: int("stride"),
                                    padding: int("padding"), outputPadding: int("outputPadding"))
        case "instanceNorm": y = try instanceNorm(v("x"), weight: vars["w"], bias: vars["b"])
        case "relu": y = relu(try v("x"))
        case "leakyRelu": y = leakyRelu(try v("x"), slope: try float("slope"))
        case "tanh": y = tanh(try v("x"))
        case "sigmoid": y = sigmoid(try v("x"))
        case "affine": y = affine(try v("x"), scale: try float("scale"), shift: try float("shift"))
        case "abs": y = abs(try v("x"))
        case "pow": y = pow(try v("x"), try float("p"))
        case "sqrt": y = sqrt(try v("x"))
        case "exp": y = exp(try v("x"))
        case "log": y = log(try v("x"))
        case "clampMin": y = clamp(try v("x"), min: try float("lo"))
        case "select": y = try select(mask: v("m").value, v("a"), v("b"))
        case "add": y = try add(v("a"), v("b"))
        case "sub": y = try sub(v("a"), v("b"))
        case "mul": y = try mul(v("a"), v("b"))
        case "div": y = try div(v("a"), v("b"))
        case "concatChannels": y = try concatChannels(order.map { try v($0) })
        case "sliceChannels": y = try sliceChannels(v("x"), int("lo")..<int("hi"))
        case "permute": y = try permute(v("x"), (meta["dims"] ?? "").split(separator: ",").map { Int($0)! })
        case "reflectPad":
            y = try reflectPad(v("x"), left: int("left"), right: int("right"), top: int("top"), bottom: int("bottom"))
        case "maxPool2d": y = try maxPool2d(v("x"), kernel: int("kernel"), stride: int("stride"), padding: int("padding"))
        case "subsample": y = try subsample(v("x"), step: int("step"))
        case "avgPool2d":
            y = try avgPool2d(v("x"), kernel: int("kernel"), stride: int("stride"), padding: int("padding"),
                              countIncludePad: int("countIncludePad") != 0)
        case "instanceNormReLU": y = try instanceNormReLU(v("x"))
        case "resizeBilinear":
            y = try resizeBilinear(v("x"), height: int("height"), width: int("width"), alignCorners: int("alignCorners") != 0)
        case "gridSample": y = try gridSample(v("x"), grid: v("g"))
        case "spatialMean": y = try spatialMean(v("x"))
        case "channelMean": y = try channelMean(v("x"))
        case "mean": y = mean(try v("x"))
        case "sum": y = sum(try v("x"))
        case "l1Loss": y = try l1Loss(v("a"), v("b"))
        case "mseLoss": y = try mseLoss(v("a"), v("b"))
        case "flowSmoothness": y = try flowSmoothness(v("f"))
        case "rgbToLab": y = try rgbToLab(v("x"))
        case "labToRgb": y = try labToRgb(v("x"))
        default: XCTFail("\(name): unknown op \(op)", file: file, line: line); return
        }
        let expected = try d.tensor("out")
        let (rtol, atol): (Float, Float) = op == "rgbToLab" || op == "labToRgb" ? (1e-4, 1e-4) : (1e-4, 1e-5)
        assertClose(y.value, expected, rtol: rtol, atol: atol, "\(name) forward", file: file, line: line)
        try y.backward(seed: try d.tensor("seed").reshaped(y.shape))
        for k in order where !consts.contains(k) {
            let g = try XCTUnwrap(vars[k]?.grad, "\(name): no gradient for \(k)", file: file, line: line)
            // Gradients through conv chains sum many products: scale the absolute tolerance by the gradient size.
            let ref = try d.tensor("grad.\(k)")
            let scale = max(1, ref.scalars.map { Swift.abs($0) }.max() ?? 1)
            assertClose(g, ref, rtol: rtol, atol: atol * scale, "\(name) grad \(k)", file: file, line: line)
        }
    }

    func testConvolutions() throws {
        for n in ["conv_k3s1p1", "conv_k3s2p1", "conv_k7s1p0", "conv_k3d2p2", "conv_k4s2p1", "conv_k1",
                  "conv_winograd", "conv_thin", "convT_k3s2p1op1", "convT_k4s2p1", "convT_k3s1p0"] { try check(n) }
    }

    func testNormalizationAndActivations() throws {
        for n in ["instnorm", "instnorm_affine", "instnorm_relu", "relu", "leakyrelu", "tanh", "sigmoid"] { try check(n) }
    }

    func testElementwise() throws {
        for n in ["affine", "abs", "pow", "sqrt", "exp", "log", "clamp_min", "select", "add_same", "add_bcast",
                  "sub_same", "sub_bcast", "mul_same", "mul_bcast", "div_same", "div_bcast", "add_bcast_left"] {
            try check(n)
        }
    }

    func testShapeAndSampling() throws {
        for n in ["concat", "slice", "permute", "reflectpad1", "reflectpad_asym", "maxpool2", "maxpool3s2p1", "avgpool3s1p1_nopad", "avgpool3s2p1",
                  "subsample", "resize_up_f", "resize_up_t", "resize_down_f", "resize_down_t", "resize_2x_f",
                  "resize_2x_t", "gridsample"] { try check(n) }
    }

    func testReductionsAndLosses() throws {
        for n in ["spatialmean", "channelmean", "mean", "sum", "l1", "mse", "smooth"] { try check(n) }
    }

    func testColorConversions() throws {
        for n in ["rgb2lab", "lab2rgb"] { try check(n) }
    }

    /// Adam against a few PyTorch steps on a tiny least-squares problem.
    func testAdamMatchesPyTorch() throws {
        let d = try StateDict.load(fixturePath("adam.safetensors"))
        let x = Variable(try d.tensor("x")), t = Variable(try d.tensor("t"))
        for (name, lr, b1, b2, steps) in [("a", Float(1e-2), Float(0.5), Float(0.999), 4),
                                           ("b", Float(3e-3), Float(0.9), Float(0.99), 3)] {
            let w = Variable(try d.tensor("init.w"), requiresGrad: true)
            let b = Variable(try d.tensor("init.b"), requiresGrad: true)
            let opt = Adam(parameters: [w, b], lr: lr, beta1: b1, beta2: b2, eps: 1e-8)
            for k in 1...steps {
                opt.zeroGrad()
                // x @ wᵀ as a 1×1 convolution over a [5, 4, 1, 1] batch.
                let xw = try conv2d(reshape(x, [5, 4, 1, 1]), weight: reshape(w, [3, 4, 1, 1]))
                let pred = try add(reshape(xw, [5, 3]), reshape(b, [1, 3]))
                let loss = try mseLoss(pred, t)
                try loss.backward()
                try opt.step()
                assertClose(w.value, try d.tensor("\(name).step\(k).w"), rtol: 1e-6, atol: 1e-6, "adam \(name) w \(k)")
                assertClose(b.value, try d.tensor("\(name).step\(k).b"), rtol: 1e-6, atol: 1e-6, "adam \(name) b \(k)")
            }
            let state = opt.stateDict()
            // m and v depend on the gradients, which differ from PyTorch by float rounding (~1e-6 relative).
            assertClose(try state.tensor("0.exp_avg"), try d.tensor("\(name).exp_avg.w"), rtol: 1e-4, atol: 1e-7, "m")
            assertClose(try state.tensor("0.exp_avg_sq"), try d.tensor("\(name).exp_avg_sq.w"), rtol: 1e-4,
                        atol: 1e-9, "v")
        }
    }
}
