import DRLSimCore
import DRLScenario

/// One run of a scenario written as a YAML string, assembled the way `drlsim run` assembles it
/// (`Scenario.parse`, `RunAssembly.install`, `execute`): how tests build whole worlds.
public struct ScenarioRun {
    /// A table row keyed by column.
    public typealias Row = [String: RecordValue]
    /// The installed run (components: `DataPlane`, `DisasterRecoveryLayer`, ...).
    public let assembly: RunAssembly

    /// Parses `yaml` (reported as `file`) with `plugins` and installs sweep point `point`,
    /// replication `replication`.
    public init(yaml: String, point: Int = 0, replication: Int = 0, file: String = "test.yaml", plugins: Plugins = .standard) throws {
        let s = try Scenario.parse(yaml: yaml, file: file, plugins: plugins)
        assembly = RunAssembly(spec: s.points[point], replication: replication)
        try assembly.install()
    }

    /// Runs to the scenario's end (the end-of-run actions included).
    public func execute() { assembly.execute() }

    /// The run's context (simulator, recorder, streams).
    public var context: RunContext { assembly.context }

    /// The component of type `T` the sections provided.
    public func component<T>(_ type: T.Type = T.self) -> T? { assembly.component(type) }

    /// Rows of `table` as dictionaries keyed by column.
    public func rows(_ table: String) -> [Row] {
        let rec = assembly.recorder
        let cols = rec.columns[table] ?? []
        return (rec.rows[table] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
    }
}
