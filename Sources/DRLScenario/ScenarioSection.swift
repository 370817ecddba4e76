import DRLSimCore

/// One top-level section of a scenario (`wan:`, `workload:`, `queue:` ...): it decodes its node
/// into the model's typed configuration and installs the model into a run.
///
/// To add a section: write ONE file `Sources/DRLScenario/Sections/<Name>Section.swift` with a
/// struct conforming to this protocol, and list its type in `Plugins.standardSections` (after
/// the sections whose components it needs), or `register(section:)` it on a `Plugins` value
/// from another package. See Docs/scenario-reference.md, "How to add a
/// section".
///
/// Conformers are value types (Sendable): one decoded instance per sweep point is shared by the
/// runs of that point, which may execute on different threads; `install` must therefore build
/// fresh model objects for every run.
public protocol ScenarioSection: Sendable {
    /// The top-level key (`"wan"`).
    static var key: String { get }
    /// One line for `describe` and the reference page.
    static var summary: String { get }
    /// The section's declared keys (`drlsim describe --plugins`, Docs/plugin-reference.md);
    /// `decode` reads them with `m.values(of: Self.schema)`, which refuses a key the decoder reads
    /// but the schema does not declare. Every built-in section but `workload` declares one.
    /// Default: empty (a section that reads its keys one by one in `decode`).
    static var schema: ParameterSchema { get }

    /// Decodes the section from `m` (an empty mapping with `m.isPresent == false` when the file
    /// has no such section, so defaults still apply). Returns nil when there is nothing to
    /// install. Throw the errors of `m`'s readers (`ScenarioError`); unknown keys are rejected
    /// after `decode` returns.
    static func decode(_ m: ConfigMapping) throws -> Self?

    /// Checks references to other sections of the same sweep point (e.g. a site name); throw a
    /// `ScenarioError` (keep the `SourceLocation` you need from decoding). Default: nothing.
    func validate(in spec: ScenarioSpec) throws

    /// Builds fresh model objects for one run: register handlers on `run.sim`, draw from
    /// `run.stream("<section>.<component>")`, declare tables on `run.recorder`, publish
    /// components for later sections with `run.provide(_:)`, fetch earlier ones with
    /// `run.require(_:by:)`, register end-of-run actions with `run.atEnd(_:)`.
    func install(into run: RunAssembly) throws

    /// Cross-replication summaries the experiment layer computes per sweep point. Default: none.
    var summaries: [SummaryRequest] { get }

    /// Effective values only known once the whole point is decoded (a default that follows
    /// another section, e.g. a volume type from `protection.policy`). `drlsim describe` shows
    /// them in place of what decoding recorded for the same key path. Default: none.
    func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry]
}

extension ScenarioSection {
    /// Not declared.
    public static var schema: ParameterSchema { .empty }
    /// No cross-section checks.
    public func validate(in spec: ScenarioSpec) throws {}
    /// No summaries.
    public var summaries: [SummaryRequest] { [] }
    /// Nothing derived.
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] { [] }
}

/// A request for a per-point summary across replications: mean, standard deviation and
/// Student-t confidence intervals (95 % and 99 %) of the per-replication means of `column` of
/// `table`, written to `<output>.csv`.
public struct SummaryRequest: Sendable, Hashable {
    /// The table whose rows are summarised (each replication's rows are averaged first).
    public var table: String
    /// The numeric column.
    public var column: String
    /// The output table (file) name.
    public var output: String

    /// A summary of `table.column` into `output`.
    public init(table: String, column: String, output: String) {
        self.table = table
        self.column = column
        self.output = output
    }
}
