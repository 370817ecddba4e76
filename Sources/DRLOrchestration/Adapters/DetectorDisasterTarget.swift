import DRLSimCore
import DRLDetector

/// The disaster as the failure detector's world sees it (DRLDetector faults): every primary
/// host off -> `siteDown`; some hosts off -> `hostDown`; the WAN blocked -> `wanBlocked` (when
/// the detector's transport supports path faults). Failback: `siteUp`, WAN unblocked, the site
/// marked operating (the detector resumes watching it).
public final class DetectorDisasterTarget: DisasterTargets {
    /// The detector.
    public let deployment: DetectorDeployment
    /// The primary's site index in the detector topology.
    public let primary: Int
    /// The backup's site index.
    public let backup: Int
    /// Faults the detector refused (e.g. WAN faults on a transport without path faults).
    public private(set) var refused: [String] = []

    /// A target for `deployment`.
    public init(deployment: DetectorDeployment, primary: Int = 0, backup: Int = 1) {
        self.deployment = deployment; self.primary = primary; self.backup = backup
    }

    private func apply(fault: DetectorFault) {
        do { try deployment.apply(fault) } catch { refused.append("\(fault): \(error)") }
    }

    /// Applies the disaster's effects.
    public func apply(_ event: DisasterEvent) {
        switch event.spec.hostsOff {
        case .all: apply(fault: .siteDown(site: primary))
        case .some(let n): for h in 0..<n { apply(fault: .hostDown(site: primary, host: h)) }
        case .none: break
        }
        if event.spec.blocksWAN { apply(fault: .wanBlocked(primary, backup, blocked: true)) }
    }

    /// Undoes them: the primary operates again.
    public func restore(at instant: SimInstant) {
        apply(fault: .siteUp(site: primary))
        apply(fault: .wanBlocked(primary, backup, blocked: false))
        apply(fault: .markOperating(site: primary))
    }
}

extension RecoveryPipeline {
    /// Recovers when `deployment` notifies the orchestrator of `watcherSite` (the backup) for
    /// the first time; the decision instant is `detected_s`. Set `config.detection = nil`.
    public func listen(to deployment: DetectorDeployment, watcherSite: Int = 1) {
        let previous = deployment.onNotified
        deployment.onNotified = { [weak self] n in
            previous?(n)
            guard n.first, n.decision.watcherSite == watcherSite else { return }
            self?.notified(detectedAt: n.decision.at)
        }
    }
}
