import DRLSimCore

/// One queueing discipline as a plug-in: its tc name, its declared parameters (and those of its
/// classes, for classful disciplines) and its factory. The schema drives the scenario decoder
/// (`wan.qdisc`), the check of a `QdiscConfig`'s keys (`QdiscParams`), `drlsim describe` and the
/// qdisc tables of Docs/scenario-reference.md.
public struct QdiscPlugin: Sendable {
    /// A factory: configuration -> qdisc (child qdiscs built through `context.qdiscs`).
    public typealias Factory = @Sendable (QdiscConfig, QdiscBuildContext) throws(NetworkConfigError) -> Qdisc
    /// The `type:` name (`tbf`).
    public var type: String
    /// One line for `describe`.
    public var summary: String
    /// The qdisc's parameters.
    public var schema: ParameterSchema
    /// The parameters of each class (nil: the discipline has no classes).
    public var classSchema: ParameterSchema?
    /// Builds the qdisc.
    public var make: Factory

    /// A plug-in.
    public init(type: String, summary: String, schema: ParameterSchema, classSchema: ParameterSchema? = nil, make: @escaping Factory) {
        self.type = type; self.summary = summary; self.schema = schema; self.classSchema = classSchema; self.make = make
    }
}
