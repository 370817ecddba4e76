import DRLSimCore
import DRLCloud

/// The first disaster target of the layer: takes the data paths' recovery points at the
/// disaster instant (they emit the `rpo` rows) and hands them to the recovery pipeline.
final class RecoveryPointCapture: DisasterTargets {
    let dataPaths: ProtectionDataPaths
    unowned let recovery: RecoveryPipeline
    init(dataPaths: ProtectionDataPaths, recovery: RecoveryPipeline) { self.dataPaths = dataPaths; self.recovery = recovery }
    func apply(_ event: DisasterEvent) { recovery.recoveryPointsAtDisaster = dataPaths.recordRecoveryPoints() }
    func restore(at instant: SimInstant) {}
}
