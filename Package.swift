// swift-tools-version: 6.1
import PackageDescription

// No unsafeFlags (SwiftPM refuses them in a versioned dependency): the hot classes' stored
// properties carry `@exclusivity(unchecked)` instead (models run single-threaded per simulator;
// the dynamic exclusivity checks cost ~2x on the event hot path, Benchmarks/README.md).

let package = Package(
    name: "DRLSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "drlsim", targets: ["drlsim"]),
        // DRLSim as a library (issue 15 item 6): another package depends on it by path or version
        // and imports the modules it needs; DRLCommandLine's `DRLSim.main(plugins:)` is the whole
        // `drlsim` tool over the caller's `Plugins` (Examples/PluginExample).
        .library(name: "DRLSim", targets: ["DRLSimCore", "DRLNetwork", "DRLCloud", "DRLDetector", "DRLOrchestration",
                                           "DRLScenario", "DRLExperiment", "DRLCommandLine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .target(name: "DRLSimCore", dependencies: [
            "CGSL", .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .target(name: "DRLNetwork", dependencies: ["DRLSimCore"]),
        .target(name: "DRLCloud", dependencies: ["DRLSimCore", "DRLNetwork", .product(name: "DequeModule", package: "swift-collections")]),
        .target(name: "DRLDetector", dependencies: ["DRLSimCore", "DRLNetwork"]),
        .target(name: "DRLOrchestration", dependencies: ["DRLSimCore", "DRLNetwork", "DRLCloud", "DRLDetector"]),
        .target(name: "DRLScenario", dependencies: [
            "DRLSimCore", "DRLNetwork", "DRLCloud", "DRLDetector", "DRLOrchestration",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "DRLExperiment", dependencies: ["DRLScenario"]),
        .target(name: "DRLCommandLine", dependencies: [
            "DRLExperiment", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "drlsim", dependencies: ["DRLCommandLine", "DRLScenario"]),
        .executableTarget(name: "drlsim-bench", dependencies: ["DRLSimCore", "DRLNetwork", "DRLDetector", "DRLExperiment"],
                          path: "Benchmarks/EngineBench"),
        .target(name: "DRLTestSupport", dependencies: ["DRLSimCore"], path: "Tests/DRLTestSupport"),
        // Stand-in WANs that are not validated models (FixedRateNetwork), for isolated data-path tests.
        .target(name: "DRLCloudTestSupport", dependencies: ["DRLSimCore", "DRLNetwork",
                .product(name: "DequeModule", package: "swift-collections")], path: "Tests/DRLCloudTestSupport"),
        .testTarget(name: "DRLSimCoreTests", dependencies: ["DRLSimCore", "DRLTestSupport"]),
        .testTarget(name: "DRLNetworkTests", dependencies: ["DRLNetwork", "DRLTestSupport"]),
        .testTarget(name: "DRLCloudTests", dependencies: ["DRLCloud", "DRLTestSupport", "DRLCloudTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DRLDetectorTests", dependencies: ["DRLDetector", "DRLTestSupport"]),
        // Stand-ins for the orchestration tests (fluid WAN and data paths), not selectable by users.
        .target(name: "DRLOrchestrationTestSupport", dependencies: ["DRLOrchestration"], path: "Tests/DRLOrchestrationTestSupport"),
        .testTarget(name: "DRLOrchestrationTests", dependencies: ["DRLOrchestration", "DRLOrchestrationTestSupport", "DRLTestSupport"]),
        // Whole runs from YAML strings, as `drlsim run` builds them.
        .target(name: "DRLScenarioTestSupport", dependencies: ["DRLScenario"], path: "Tests/DRLScenarioTestSupport"),
        .testTarget(name: "DRLScenarioTests", dependencies: ["DRLScenario", "DRLScenarioTestSupport", "DRLTestSupport"]),
        .testTarget(name: "DRLExperimentTests", dependencies: ["DRLExperiment", "DRLTestSupport"]),
        // Depends on the executable so `swift test` always rebuilds the `drlsim` it runs (never a stale one).
        .testTarget(name: "DRLCLITests", dependencies: ["DRLTestSupport", "drlsim"]),
    ],
    swiftLanguageModes: [.v6]
)
