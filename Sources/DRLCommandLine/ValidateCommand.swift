import ArgumentParser
import DRLScenario
import DRLExperiment

/// `drlsim validate FILE...`: decodes every sweep point and assembles it without running.
struct ValidateCommand: PluginCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check scenario files without running them.")

    @Argument(help: "Scenario files.")
    var files: [String]

    @OptionGroup var scenario: ScenarioOptions

    func run(plugins: Plugins) throws {
        var failed = false
        for file in files {
            do {
                let s = try Scenario.load(file: file, overrides: scenario.all, limits: scenario.limits, plugins: plugins)
                try ExperimentRunner(scenario: s).checkAssembly()
                let costs = s.points.map { RunCostEstimate(spec: $0) }
                let rows = costs.map(\.binnedRows).max() ?? 0, bitmaps = costs.map(\.bitmapBytes).max() ?? 0
                let cost = rows > 0 || bitmaps > 0 ? "; per run at most ~\(rows) binned rows and \(bitmaps >> 20) MiB of block bitmaps" : ""
                print("\(file): ok (\(s.name): \(s.points.count) point\(s.points.count == 1 ? "" : "s") x \(s.replications) replication\(s.replications == 1 ? "" : "s") = \(s.runCount) runs\(cost))")
            } catch let e as ScenarioError {
                Console.error(e.description)
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }
}
