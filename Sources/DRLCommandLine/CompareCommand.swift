import ArgumentParser
import DRLExperiment
import DRLScenario
import Foundation

/// `drlsim compare FILE --models packet,flow`: runs a scenario under two WAN models
/// (`wan.model`) and prints how far every curve of the second is from the first (issue 16 item 2).
struct CompareCommand: PluginCommand {
    static let configuration = CommandConfiguration(commandName: "compare",
        abstract: "Run scenarios under two WAN models and print the differences of every curve.",
        discussion: """
            Runs each scenario with --set wan.model=A and wan.model=B (default packet,flow), extracts \
            the curves `drlsim check` compares (protection times, traffic per class, RPO and RTO \
            quantiles, write throttling, ...) and prints, per curve, the largest difference over the \
            sweep points (--detail: value by value), the wall time of each model and their ratio. Exits 1 when a value differs by more than abs + rel x |A| \
            (or exists under one model only). With --curves figures (the curves the paper's Fig. 7-11 draw, \
            incl. the 10 s-binned traffic) or --curves 'CURVE@STAT,...' (* matches anything), only the \
            selected values decide and are listed first; the full report follows.
            """)

    @Argument(help: "Scenario files.")
    var files: [String]

    @Option(help: "The two WAN models, reference first.")
    var models: String = "packet,flow"

    @Option(help: "Relative tolerance (0.05 = 5 %).")
    var rel: Double = 0.05

    @Option(help: "Absolute tolerance, in the curve's unit (s, bytes, share).")
    var abs: Double = 0.01

    @Option(help: "Curves printed per scenario (worst first).")
    var limit: Int = 20

    @Option(help: "Curves that decide: all, figures (the paper's Fig. 7-11 curves), estate (RTO, RPO p95, traffic per class), or CURVE@STAT patterns, comma-separated.")
    var curves: String = "all"

    @Flag(help: "Also print the largest differences value by value (per sweep point).")
    var detail = false

    @Option(help: "Worker threads running runs in parallel (default: the number of processors).")
    var jobs: Int?

    @OptionGroup var scenario: ScenarioOptions

    func run(plugins: Plugins) throws {
        let names = models.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard names.count == 2, names[0] != names[1] else {
            throw CLIError(description: "drlsim compare: --models \(models): give two different models, e.g. packet,flow")
        }
        guard rel >= 0, abs >= 0 else { throw CLIError(description: "drlsim compare: tolerances must not be negative") }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard jobs >= 1 else { throw CLIError(description: "drlsim compare: --jobs \(jobs): must be at least 1") }
        if scenario.all.contains(where: { $0.hasPrefix("wan.model=") }) {
            throw CLIError(description: "drlsim compare: --set wan.model=...: the models come from --models")
        }
        // Load everything first: bad input exits 2 before anything runs.
        var loaded: [(String, [Scenario])] = []
        for file in files {
            let pair = try names.map { try Scenario.load(file: file, overrides: scenario.all + ["wan.model=\($0)"], limits: scenario.limits, plugins: plugins) }
            for s in pair { try ExperimentRunner(scenario: s).checkAssembly() }
            loaded.append((file, pair))
        }
        let tolerance = Tolerance(rel: rel, abs: abs)
        let filter: CurveFilter? = curves == "all" ? nil : CurveFilter.parse(curves)
        if let f = filter, f.patterns.isEmpty { throw CLIError(description: "drlsim compare: --curves \(curves): no pattern") }
        let extractor = filter == nil ? CurveExtractor() : CurveExtractor(specs: CurveSpec.defaults + [CurveFilter.binnedTraffic])
        var failed: [String] = []
        var worst: (Double, String) = (0, "")
        for (_, pair) in loaded {
            var curves: [CurveSet] = []
            var walls: [Double] = []
            for s in pair {
                let clock = ContinuousClock(), start = clock.now
                let out = try ExperimentRunner(scenario: s, jobs: jobs).execute()
                let set = try ResultSet.build(scenario: s, results: out)
                let d = clock.now - start
                walls.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
                curves.append(extractor.curves(of: set))
            }
            let full = ModelComparison.compare(reference: curves[0], other: curves[1], names: (names[0], names[1]), tolerance: tolerance)
            let c = filter.map { full.restricted(to: $0) } ?? full
            let name = pair[0].name
            let largest = c.rows.compactMap { r in r.relative.map { (Swift.abs($0), r.curve + " " + r.statistic + " @ " + r.point) } }
                .max { $0.0 < $1.0 }
            print("\(name): \(c.compared) \(filter == nil ? "" : "selected (--curves \(self.curves)) ")values compared, \(c.failures.count) beyond \(Self.percent(rel)) + \(abs); "
                  + "wall \(names[0]) \(String(format: "%.2f", walls[0])) s, \(names[1]) \(String(format: "%.2f", walls[1])) s "
                  + "(ratio \(String(format: "%.2f", walls[1] / Swift.max(walls[0], 1e-9))))"
                  + (largest.map { "; largest difference \(Self.percent($0.0)) (\($0.1))" } ?? ""))
            if let l = largest, l.0 > worst.0 { worst = (l.0, "\(name): \(l.1)") }
            print(c.curveTable(limit: limit), terminator: "")
            if detail { print(c.table(limit: limit), terminator: "") }
            if filter != nil {
                print("all curves (\(full.compared) values, \(full.failures.count) beyond; for information):")
                print(full.curveTable(limit: limit), terminator: "")
            }
            if !c.passed { failed.append(name) }
        }
        if failed.isEmpty {
            print("compare: passed: \(loaded.count) scenario\(loaded.count == 1 ? "" : "s") within \(Self.percent(rel)) + \(abs)"
                  + (worst.0 > 0 ? "; largest difference \(Self.percent(worst.0)) (\(worst.1))" : ""))
        } else {
            print("compare: FAILED: \(failed.joined(separator: ", ")) beyond \(Self.percent(rel)) + \(abs)")
            throw ExitCode(1)
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%.2f %%", x * 100) }
}
