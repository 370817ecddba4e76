import DRLSimCore
extension ProtectionSection {
    /// Defaults that follow other keys: `first_after` (one interval, the orchestrator's first
    /// countdown) and `clone_rate` (half the primary's volume-tier read rate,
    /// ProtectionService's clone step).
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] {
        var out: [TraceEntry] = []
        if orchestrator.firstProtectionAfter == nil {
            out.append(TraceEntry(path: "protection.first_after",
                                  value: "\(Units.formatDuration(orchestrator.protectionInterval)) (protection.interval)", isDefault: true))
        }
        if cloud.cloneBytesPerSecond == nil {
            let half = spec.sites.primary.volumeDisk.readBytesPerSecond / 2
            out.append(TraceEntry(path: "protection.clone_rate",
                                  value: "\(Units.formatNumber(half / 1e6))mbps (half sites.primary.volume_disk.read)", isDefault: true))
        }
        return out
    }
}
