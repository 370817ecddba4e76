import ArgumentParser
import DRLScenario
import DRLExperiment

/// Options shared by commands that load scenarios: `--set`, `--seed`, `--replications`.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario key, e.g. --set wan.rate=50mbit (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: "Base seed (overrides the scenario's seed).")
    var seed: UInt64?

    @Option(help: "Replications per sweep point (overrides the scenario's replications).")
    var replications: Int?

    @Option(help: "Most runs (sweep points x replications) a scenario may have (default 1000000; bounds memory and time).")
    var maxRuns: Int?

    /// The load limits, with `--max-runs` applied.
    var limits: LoadLimits {
        var l = LoadLimits()
        if let maxRuns { l.maxRuns = maxRuns }
        return l
    }

    /// `--max-runs` within what a manifest can describe (`Manifest.maxRuns`), so a study that
    /// runs can also be read back by merge and check.
    func validate() throws {
        if let maxRuns, maxRuns < 1 || maxRuns > Manifest.maxRuns {
            throw ValidationError("--max-runs \(maxRuns): must be between 1 and \(Manifest.maxRuns) (the most runs a result set manifest holds)")
        }
    }

    /// Every override, the explicit options last.
    var all: [String] {
        var o = overrides
        if let seed { o.append("seed=\(seed)") }
        if let replications { o.append("replications=\(replications)") }
        return o
    }

    /// Loads every file (all of them before anything runs, so bad input writes nothing).
    func load(_ files: [String], plugins: Plugins = .standard) throws -> [Scenario] {
        try files.map { try Scenario.load(file: $0, overrides: all, limits: limits, plugins: plugins) }
    }
}
