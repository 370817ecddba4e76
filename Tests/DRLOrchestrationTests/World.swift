import DRLSimCore
import DRLCloud
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

/// A small world for the tests: one tenant running the paper's transcoder VM over fluid data paths.
struct World {
    let context: RunContext
    let paths: FluidDataPaths
    let layer: DisasterRecoveryLayer

    init(seed: UInt64 = 1, mbit: Double = 500, volumeBytes: Int64, type: VolumeType, vmAction: ProtectionActionName = .imageCopy,
         interval: SimDuration = .minutes(5), disaster: DisasterSpec? = nil, failbackAt: SimInstant? = nil,
         overlap: OverlapPolicy = .overlap, pathConfig: FluidDataPaths.Config = .init(), writes: WriteProfile? = nil,
         recovery: RecoveryPipeline.Config = .init(), driver: (any LogicDriver)? = nil,
         firstProtectionAfter: SimDuration? = nil) throws {
        context = RunContext(seed: seed, replication: 0)
        paths = FluidDataPaths(context: context, capacity: mbit * 1e6, config: pathConfig)
        let w = TenantWorkload.paperTranscoder(volumeBytes: volumeBytes, volumeType: type)
        if let writes { paths.setWrites(w.volumes[0].id, writes) }
        var c = DisasterRecoveryLayer.Config()
        c.orchestrator.vmAction = vmAction
        c.orchestrator.protectionInterval = interval
        c.orchestrator.overlap = overlap
        c.orchestrator.firstProtectionAfter = firstProtectionAfter
        c.disaster = disaster
        c.failbackAt = failbackAt
        c.recovery = recovery
        layer = try DisasterRecoveryLayer(context: context, dataPaths: paths, workloads: [w], config: c, driver: driver)
        paths.recordRows(of: layer.engine)
    }

    func run(until t: SimInstant) { context.sim.run(until: t) }

    /// Rows of `table` as dictionaries keyed by column.
    func rows(_ table: String) -> [[String: RecordValue]] {
        let cols = context.recorder.columns[table] ?? []
        return (context.recorder.rows[table] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
    }
}

extension RecordValue {
    var double: Double? { if case .double(let d) = self { return d }; if case .int(let i) = self { return Double(i) }; return nil }
    var text: String? { if case .text(let s) = self { return s }; return nil }
    var int: Int64? { if case .int(let i) = self { return i }; return nil }
}
