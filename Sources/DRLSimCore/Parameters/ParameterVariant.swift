/// One choice of a `ParameterKind.variant` key: the `type:` that selects it and the keys it
/// declares (a write workload kind and its schema, `workload.vms[].writes`).
public struct ParameterVariant: Sendable, Hashable {
    /// The `type:` value (`constant`).
    public var type: String
    /// One line for `describe` and the reference.
    public var summary: String
    /// The keys of a mapping of this type (`type` aside).
    public var schema: ParameterSchema

    /// A variant.
    public init(type: String, summary: String, schema: ParameterSchema) {
        self.type = type; self.summary = summary; self.schema = schema
    }
}
