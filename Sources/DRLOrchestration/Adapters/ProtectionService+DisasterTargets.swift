import DRLSimCore
import DRLCloud

extension ProtectionService: DisasterTargets {
    /// The primary's protection stops (its actions are aborted, DRBD halts: paper §6.3,
    /// "blocking any ongoing transfer") when the disaster stops protection; hosts go off. The
    /// `rpo` rows were taken just before (`DisasterRecoveryLayer`'s first target).
    public func apply(_ event: DisasterEvent) {
        if event.spec.stopsProtection { abortAll() }
        switch event.spec.hostsOff {
        case .all: primary.setAllHosts(up: false)
        case .some(let n): for i in 0..<min(n, primary.hostUp.count) { primary.setHost(i, up: false) }
        case .none: break
        }
    }
    /// The primary's hosts are on again.
    public func restore(at instant: SimInstant) { primary.setAllHosts(up: true) }
}
