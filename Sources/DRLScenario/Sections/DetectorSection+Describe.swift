import DRLSimCore
extension DetectorSection {
    /// `max_voting_attempts` (none: the released code votes once) and, for the fixed
    /// transport, the WAN delay it takes from `wan.delay` when `fixed.wan_delay` is not written.
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] {
        var out: [TraceEntry] = []
        if config.maxVotingAttempts == nil {
            out.append(TraceEntry(path: "detector.max_voting_attempts", value: "none", isDefault: true))
        }
        if !overNetwork, fixedWANDelay == nil, let wan = spec.section(WANSection.self) {
            out.append(TraceEntry(path: "detector.fixed.wan_delay",
                                  value: "\(Units.formatDuration(wan.delay)) (wan.delay)", isDefault: true))
        }
        return out
    }
}
