import ArgumentParser
import DRLScenario
import DRLExperiment

/// `drlsim describe FILE`: the expanded sweep points and every effective parameter;
/// `drlsim describe --plugins`: every registered plug-in and the keys it declares.
struct DescribeCommand: PluginCommand {
    static let configuration = CommandConfiguration(commandName: "describe",
        abstract: "Print the expanded sweep points and every effective parameter (defaults filled in), or with --plugins every plug-in's keys.")

    @Argument(help: "A scenario file.")
    var file: String?

    @Flag(name: .customLong("plugins"), help: "List the registered plug-ins (sections, qdiscs, DR-Logic drivers, protection actions) and their keys.")
    var listPlugins = false

    @OptionGroup var scenario: ScenarioOptions

    func validate() throws {
        if file == nil && !listPlugins { throw ValidationError("Missing expected argument '<file>'") }
    }

    func run(plugins: Plugins) throws {
        guard let file else { print(plugins.reference, terminator: ""); return }
        let s = try Scenario.load(file: file, overrides: scenario.all, limits: scenario.limits, plugins: plugins)
        try ExperimentRunner(scenario: s).checkAssembly()
        print(Self.text(s), terminator: "")
    }

    /// The description text (YAML-like, `# default` marks filled-in values).
    static func text(_ s: Scenario) -> String {
        var out = "# \(s.file): \(s.points.count) point(s) x \(s.replications) replication(s) = \(s.runCount) runs\n"
        out += "# fingerprint \(s.fingerprint)\n"
        if !s.sweep.axes.isEmpty {
            out += "sweep:  # last key varies fastest\n"
            for a in s.sweep.axes { out += "  \(a.key): [\(a.values.map(\.flowText).joined(separator: ", "))]\n" }
        }
        out += "points:\n"
        for p in s.points {
            let a = p.assignments.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            out += "  - {point: \(p.point)\(a.isEmpty ? "" : ", " + a), runs: \(p.point * s.replications)-\(p.point * s.replications + s.replications - 1)}\n"
        }
        // Point 0 in full; later points only where they differ from point 0.
        let base = s.points[0].trace
        for p in s.points {
            out += p.point == 0 ? "point 0:  # every effective parameter\n" : "point \(p.point):  # differences from point 0\n"
            for t in p.trace where p.point == 0 || !base.contains(t) {
                out += "  \(t.path): \(t.value)\(t.isDefault ? "  # default" : "")\n"
            }
        }
        return out
    }
}
