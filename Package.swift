// swift-tools-version: 6.1
import PackageDescription

/// Models run single-threaded per simulator; dynamic exclusivity checks on class properties cost
/// ~2x on the event hot path (measured with Benchmarks/EngineBench), so hot targets turn them off.
let hot: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "DRLSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "drlsim", targets: ["drlsim"]),
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
        ], swiftSettings: hot),
        .target(name: "DRLNetwork", dependencies: ["DRLSimCore"], swiftSettings: hot),
        .target(name: "DRLCloud", dependencies: ["DRLSimCore", "DRLNetwork", .product(name: "DequeModule", package: "swift-collections")], swiftSettings: hot),
        .target(name: "DRLDetector", dependencies: ["DRLSimCore", "DRLNetwork"], swiftSettings: hot),
        .target(name: "DRLOrchestration", dependencies: ["DRLSimCore", "DRLNetwork", "DRLCloud", "DRLDetector"]),
        .target(name: "DRLScenario", dependencies: [
            "DRLSimCore", "DRLNetwork", "DRLCloud", "DRLDetector", "DRLOrchestration",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "DRLExperiment", dependencies: ["DRLScenario"]),
        .executableTarget(name: "drlsim", dependencies: [
            "DRLExperiment", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "drlsim-bench", dependencies: ["DRLSimCore", "DRLNetwork", "DRLDetector", "DRLExperiment"],
                          path: "Benchmarks/EngineBench", swiftSettings: hot),
        .target(name: "DRLTestSupport", dependencies: ["DRLSimCore"], path: "Tests/DRLTestSupport"),
        // Stand-in WANs that are not validated models (FixedRateNetwork), for isolated data-path tests.
        .target(name: "DRLCloudTestSupport", dependencies: ["DRLSimCore", "DRLNetwork",
                .product(name: "DequeModule", package: "swift-collections")], path: "Tests/DRLCloudTestSupport"),
        .testTarget(name: "DRLSimCoreTests", dependencies: ["DRLSimCore", "DRLTestSupport"]),
        .testTarget(name: "DRLNetworkTests", dependencies: ["DRLNetwork", "DRLTestSupport"]),
        .testTarget(name: "DRLCloudTests", dependencies: ["DRLCloud", "DRLTestSupport", "DRLCloudTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DRLDetectorTests", dependencies: ["DRLDetector", "DRLTestSupport"]),
        .testTarget(name: "DRLOrchestrationTests", dependencies: ["DRLOrchestration", "DRLTestSupport"]),
        .testTarget(name: "DRLScenarioTests", dependencies: ["DRLScenario", "DRLTestSupport"]),
        .testTarget(name: "DRLExperimentTests", dependencies: ["DRLExperiment", "DRLTestSupport"]),
        // Depends on the executable so `swift test` always rebuilds the `drlsim` it runs (never a stale one).
        .testTarget(name: "DRLCLITests", dependencies: ["DRLTestSupport", "drlsim"]),
    ],
    swiftLanguageModes: [.v6]
)
