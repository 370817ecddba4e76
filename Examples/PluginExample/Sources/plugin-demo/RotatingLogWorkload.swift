import DRLSimCore
import DRLCloud
import DRLScenario

/// A write workload kind (`writes: { type: rotating-log }`): a circular log, such as a database's
/// write-ahead log, appends `write_size` records at a constant `rate` to the first `log_size`
/// bytes of its disk and wraps there, so it rewrites the same blocks instead of filling the disk
/// (DRLCloud's `constant` kind wraps at the device's end). A volume snapshot then backs up at most
/// `log_size` of allocated blocks, however long the log has run.
///
/// A DRLCloud `WriteWorkload`: its generator is driven closed loop by DRLCloud's
/// `WorkloadRunner`; as a constant rate it also has a rate form (`rateSchedule`) for the
/// flow-level model's fluid DRBD volumes. Scenario keys (its schema):
///
/// ```yaml
/// writes: { type: rotating-log, rate: 8mbit, write_size: 1MiB, log_size: 64MiB }
/// ```
struct RotatingLogWorkload: WriteWorkload {
    /// Bytes per second.
    let bytesPerSecond: Double
    /// Bytes per record.
    let writeSize: Int64
    /// Bytes of the log region.
    let logSize: Int64
    /// `rotating-log`.
    var typeName: String { "rotating-log" }
    /// Appends: sequential.
    var placement: WritePlacement { .sequential }

    /// Records of `writeSize` every `writeSize / rate`, at offsets 0, writeSize, ... wrapping
    /// before the end of the log (or of a smaller device).
    func makeGenerator(_ env: WorkloadEnvironment, stream: RandomStream) throws(WorkloadError) -> any WriteGenerator {
        let region = Swift.min(logSize, env.device.capacity)
        guard writeSize <= region else { throw WorkloadError(message: "rotating-log: write_size exceeds the log (or the disk)") }
        return Generator(gap: .seconds(Double(writeSize) / bytesPerSecond), size: writeSize, region: region)
    }

    /// The constant rate.
    func rateSchedule(traceBin: SimDuration) -> RateSchedule? { .constant(bytesPerSecond) }

    final class Generator: WriteGenerator {
        let gap: SimDuration, size: Int64, region: Int64
        var offset: Int64 = 0
        init(gap: SimDuration, size: Int64, region: Int64) { self.gap = gap; self.size = size; self.region = region }
        func next() -> PlannedWrite? {
            if offset + size > region { offset = 0 }
            defer { offset += size }
            return PlannedWrite(gap: gap, write: BlockWrite(offset: offset, length: size))
        }
    }

    /// The keys, declared once (decoded, checked and listed by `describe --plugins`).
    static let schema: ParameterSchema = [
        ParameterSpec("rate", .rate, required: true, doc: "append rate"),
        ParameterSpec("write_size", .size, default: .size(64 << 10), minimum: 512, doc: "size of a log record (default 64KiB)"),
        ParameterSpec("log_size", .size, default: .size(64 << 20), minimum: 4096, doc: "size of the circular log region (default 64MiB)"),
    ]

    /// The plug-in.
    static let plugin = WorkloadKindPlugin(type: "rotating-log", summary: "a circular log appending at a constant rate", schema: schema) { m in
        let p = try m.parameters(schema)
        return RotatingLogWorkload(bytesPerSecond: p.rate("rate")! / 8, writeSize: p.size("write_size")!, logSize: p.size("log_size")!)
    }
}
