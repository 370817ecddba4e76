import DRLSimCore
import DRLCloud

/// A kind of write workload (`workload.vms[].writes.type`) as a plug-in: its name, its declared
/// keys and the decoder that turns the `writes` mapping into DRLCloud's `WorkloadConfig`.
///
/// The built-in kinds (`WorkloadConfig.typeNames`: constant, on-off, poisson, video-transcoder,
/// trace) are read key by key by `WorkloadSection` (their keys: Docs/scenario-reference.md,
/// `workload`); their schemas are still empty. A kind from another package decodes its own keys
/// (`m.parameters(schema)`) into one of DRLCloud's workload models: `WorkloadConfig` is a closed
/// set of generators, so a new kind is a new parametrisation of those (e.g. a duty cycle as
/// `onOff`), not yet a new generator.
public struct WorkloadKindPlugin: Sendable {
    /// Decodes the `writes` mapping (its `type` already read).
    public typealias Decoder = @Sendable (ConfigMapping) throws -> WorkloadConfig
    /// The `type:` name (`constant`).
    public var type: String
    /// One line for `describe`.
    public var summary: String
    /// The kind's declared keys (empty: read key by key in `decode`).
    public var schema: ParameterSchema
    /// The decoder.
    public var decode: Decoder

    /// A plug-in.
    public init(type: String, summary: String, schema: ParameterSchema = .empty, decode: @escaping Decoder) {
        self.type = type; self.summary = summary; self.schema = schema; self.decode = decode
    }

    /// The built-in kinds, decoded by `WorkloadSection`.
    public static var standard: [WorkloadKindPlugin] {
        WorkloadConfig.typeNames.map { kind in
            WorkloadKindPlugin(type: kind, summary: "DRLCloud's \(kind) workload (keys: Docs/scenario-reference.md, workload)") {
                try WorkloadSection.builtIn($0, kind: kind)
            }
        }
    }
}
