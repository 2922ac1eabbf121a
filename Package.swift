// swift-tools-version:6.0
// StainKit: digital staining of microscopy images (Xu et al., IEEE TMI), as a Swift framework and the `stain` CLI.
import PackageDescription

let package = Package(
    name: "StainKit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "stain", targets: ["stain"]),
        .library(name: "StainKit", targets: ["StainKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C libraries from Debian: libvips-dev, libopenblas-dev and libssl-dev (libcrypto: SHA-256).
        .systemLibrary(name: "CVips", path: "Sources/CVips", pkgConfig: "vips",
                       providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),

        // Libraries.
        .target(name: "Vips", dependencies: ["CVips"], exclude: ["README.md"]),
        .target(name: "NeuralKernels", dependencies: ["CBLAS"], exclude: ["README.md"]),
        .target(name: "StainModels", dependencies: ["NeuralKernels"]),
        .target(name: "StainMetrics", dependencies: ["NeuralKernels", "StainModels", "CBLAS"]),
        .target(name: "StainCore", dependencies: ["Vips", "CCrypto", .product(name: "Yams", package: "Yams")]),
        // Image operations several node families and the training tools share: luma, histogram matching,
        // dark-field synthesis, misalignment, per-pixel maps.
        .target(name: "StainImaging", dependencies: ["StainCore", "Vips", "NeuralKernels"]),

        // Node plugins: one target per family under Plugins/.
        .target(name: "IOPlugins", dependencies: ["StainCore", "StainImaging", "Vips"], path: "Plugins/IO"),
        .target(name: "EnhancementPlugins", dependencies: ["StainCore", "StainImaging", "Vips", "StainModels"],
                path: "Plugins/Enhancement"),
        .target(name: "SynthesisPlugins", dependencies: ["StainCore", "StainImaging", "Vips", "EnhancementPlugins"],
                path: "Plugins/Synthesis"),
        .target(name: "MetricPlugins", dependencies: ["StainCore", "Vips", "StainMetrics", "StainModels"],
                path: "Plugins/Metrics"),
        .target(name: "NeuralPlugins", dependencies: ["StainCore", "Vips", "NeuralKernels", "StainModels"],
                path: "Plugins/Neural"),

        // Training: data sets, augmentation, recipes, trainers, checkpoints, export, the synthetic data set builder.
        .target(name: "StainTraining", dependencies: [
            "NeuralKernels", "StainModels", "StainMetrics", "StainCore", "StainImaging", "Vips",
            .product(name: "Yams", package: "Yams"),
        ]),

        // The catalog of every node family, and the command-line tool.
        .target(name: "StainKit", dependencies: [
            "NeuralKernels",
            "StainCore", "IOPlugins", "EnhancementPlugins", "SynthesisPlugins", "MetricPlugins", "NeuralPlugins",
        ]),
        .executableTarget(name: "stain", dependencies: [
            "StainKit", "StainCore", "StainImaging", "StainModels", "StainMetrics", "NeuralKernels", "StainTraining", "Vips", "CBLAS",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Fuzz targets (scripts/fuzz): built normally they replay files; built with -DFUZZING they are libFuzzer
        // targets for the pipeline parser + validator, the safetensors reader, the histogram reader, the recipe parser.
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(name: "FuzzPipeline", dependencies: ["FuzzDriver", "StainCore", "StainKit"],
                          path: "Fuzz/FuzzPipeline"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzDriver", "NeuralKernels"],
                          path: "Fuzz/FuzzSafetensors"),
        .executableTarget(name: "FuzzHistogram", dependencies: ["FuzzDriver", "StainCore"], path: "Fuzz/FuzzHistogram"),
        .executableTarget(name: "FuzzRecipe", dependencies: ["FuzzDriver", "StainTraining"], path: "Fuzz/FuzzRecipe"),

        // Tests.
        .testTarget(name: "VipsTests", dependencies: ["Vips"]),
        .testTarget(name: "NeuralKernelsTests", dependencies: ["NeuralKernels"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StainModelsTests", dependencies: ["StainModels"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StainMetricsTests", dependencies: ["StainMetrics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StainCoreTests", dependencies: ["StainCore"]),
        .testTarget(name: "PluginTests", dependencies: ["StainKit", "StainCore", "StainImaging", "Vips", "EnhancementPlugins", "SynthesisPlugins", "MetricPlugins", "NeuralPlugins", "StainModels", "StainMetrics", "NeuralKernels"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["stain", "FuzzPipeline", "FuzzSafetensors", "FuzzHistogram", "FuzzRecipe"]),
        .testTarget(name: "StainTrainingTests", dependencies: ["StainTraining", "StainModels", "NeuralKernels", "Vips"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
