import DRLSimCore

extension DisasterSection {
    /// The window of a uniform disaster as `disasterSpec(in:)` resolves it (default `from`:
    /// two protection intervals, else 0; default `to`: the scenario's duration).
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] {
        guard fixed == nil, case .uniform(let lo, let hi) = disasterSpec(in: spec).timing else { return [] }
        var out: [TraceEntry] = []
        if from == nil {
            out.append(TraceEntry(path: "disaster.from", value: Units.formatDuration(SimDuration(nanoseconds: lo.nanoseconds)), isDefault: true))
        }
        if to == nil {
            out.append(TraceEntry(path: "disaster.to", value: Units.formatDuration(SimDuration(nanoseconds: hi.nanoseconds)), isDefault: true))
        }
        return out
    }
}
