import DRLSimCore
extension DetectorSection {
    /// For the fixed transport, the WAN delay it takes from `wan.delay` when `fixed.wan_delay`
    /// is not written (a default that follows another section; the schema cannot know it).
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] {
        var out: [TraceEntry] = []
        if !overNetwork, fixedWANDelay == nil, let wan = spec.section(WANSection.self) {
            out.append(TraceEntry(path: "detector.fixed.wan_delay",
                                  value: "\(Units.formatDuration(wan.delay)) (wan.delay)", isDefault: true))
        }
        return out
    }
}
