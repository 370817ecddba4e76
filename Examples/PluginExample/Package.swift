// swift-tools-version: 6.1
import PackageDescription

/// A package that extends DRLSim without forking it (issue 15 item 7): a new DR-Logic driver
/// and a new protection action, registered on a `Plugins` value and run by the whole `drlsim`
/// command line (`DRLSim.main(plugins:)`) as `plugin-demo`.
let package = Package(
    name: "PluginExample",
    platforms: [.macOS(.v13)],
    dependencies: [
        // DRLSim by path (named, so the checkout's folder name does not matter); a version
        // dependency works the same way: .package(url: "<DRLSim's repository>", from: "<version>").
        .package(name: "DRLSim", path: "../.."),
    ],
    targets: [
        // DRLSim's library product (its modules: DRLSimCore ... DRLScenario, DRLCommandLine).
        .executableTarget(name: "plugin-demo", dependencies: [.product(name: "DRLSim", package: "DRLSim")]),
    ],
    swiftLanguageModes: [.v6]
)
