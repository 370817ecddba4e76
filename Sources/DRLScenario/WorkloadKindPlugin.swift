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

    /// A plug-in.
    public init(type: String, summary: String, schema: ParameterSchema = .empty, decode: @escaping Decoder) {
        self.type = type; self.summary = summary; self.schema = schema; self.decode = decode
    }

    /// The built-in kinds, in `WorkloadConfig.typeNames` order.
    public static var standard: [WorkloadKindPlugin] { WorkloadSection.builtInKinds }
}
