import DRLSimCore

extension ProtectionService {
    /// Every violated identity of the data paths (empty when the books balance); call at any
    /// instant, e.g. at the end of every run:
    /// - per DRBD volume: the device's counters against the channels' own counts
    ///   (`DRBDDevice.conservationViolations`);
    /// - per DRBD volume: no recovery point newer than the first write not fully delivered;
    /// - per ready container: every object arrived, and every captured state predates, the
    ///   instant it was marked ready.
    /// - the vault: stored bytes = uploaded - deleted, and the footprint of every container kind
    ///   kept incrementally equals the one recounted from the live objects.
    public func conservationViolations() -> [String] {
        var v: [String] = []
        for (name, d) in drbd {
            for e in d.conservationViolations() { v.append("drbd \(name): \(e)") }
            if let rp = d.recoveryPoint(), let first = d.firstUndeliveredIssue(), rp > first {
                v.append("drbd \(name): recovery point \(rp) newer than undelivered write issued \(first)")
            }
        }
        for c in vault.containers where c.state == .ready {
            guard let r = c.readyAt else { continue }
            if c.objects.contains(where: { $0.storedAt > r }) { v.append("container \(c.name): object stored after ready") }
            if c.items.contains(where: { $0.capturedAt > r }) { v.append("container \(c.name): state captured after ready") }
        }
        if vault.storedBytes != vault.uploadedBytes - vault.deletedBytes {
            v.append("vault: stored \(vault.storedBytes) != uploaded \(vault.uploadedBytes) - deleted \(vault.deletedBytes)")
        }
        for k in ContainerKind.allCases where vault.footprint(k) != vault.recomputedFootprint(k) {
            v.append("vault \(k.rawValue): kept \(vault.footprint(k)) != recounted \(vault.recomputedFootprint(k))")
        }
        return v
    }
}

extension DRBDDevice {
    /// The issue instant of the oldest application write not yet fully at the peer.
    func firstUndeliveredIssue() -> SimInstant? {
        [undelivered.first(where: { !$0.isResync })?.issued, pending.first(where: { !$0.isResync })?.issued]
            .compactMap { $0 }.min()
    }
}
