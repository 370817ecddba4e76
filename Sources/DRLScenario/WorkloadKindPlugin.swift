import DRLSimCore
import DRLCloud

/// A kind of write workload (`workload.vms[].writes.type`) as a plug-in: its name, its declared
/// keys (`ParameterSchema`: decoding, range errors with file, line and key path, `describe
/// --plugins`) and the decoder that turns the `writes` mapping into a DRLCloud `WriteWorkload`.
///
/// DRLCloud's `WriteWorkload` is open: a kind from another package decodes its keys
/// (`m.parameters(schema)`) into a value of its own type that builds its own `WriteGenerator`
/// (and, optionally, its rate process for the flow-level model, `rateSchedule(traceBin:)`).
/// The built-in kinds (`WorkloadConfig`'s cases: constant, on-off, poisson, video-transcoder,
/// trace, diurnal) are plug-ins of this form in `standard` (WorkloadSection+Kinds.swift).
public struct WorkloadKindPlugin: Sendable {
    /// Decodes the `writes` mapping (its `type` already read).
    public typealias Decoder = @Sendable (ConfigMapping) throws -> any WriteWorkload
    /// The `type:` name (`constant`).
    public var type: String
    /// One line for `describe`.
    public var summary: String
    /// The kind's declared keys (`type` aside).
    public var schema: ParameterSchema
    /// The decoder.
    public var decode: Decoder

    /// A plug-in whose decoder reads the `writes` mapping itself (`m.parameters(schema)`).
    public init(type: String, summary: String, schema: ParameterSchema = .empty, decode: @escaping Decoder) {
        self.type = type; self.summary = summary; self.schema = schema; self.decode = decode
    }

    /// A plug-in built from its declared keys: `make` gets them read by `schema` (kinds, ranges,
    /// defaults, unknown keys refused: `ParameterKind`'s distribution, interval and path
    /// included) and the mapping, for cross-key checks and errors at a key
    /// (`m.error("file", ...)`).
    public init(type: String, summary: String, schema: ParameterSchema,
                make: @escaping @Sendable (ParameterValues, ConfigMapping) throws -> any WriteWorkload) {
        self.init(type: type, summary: summary, schema: schema) { m in try make(m.parameters(schema), m) }
    }

    /// The kind as a choice of a `ParameterKind.variant` key (`workload.vms[].writes`).
    public var variant: ParameterVariant { ParameterVariant(type: type, summary: summary, schema: schema) }

    /// The built-in kinds, in `WorkloadConfig.typeNames` order.
    public static var standard: [WorkloadKindPlugin] { WorkloadSection.builtInKinds }
}
