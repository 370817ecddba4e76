import DRLSimCore

/// Heat's creation schedule of a template (`StackSchedule`, Heat 2015.1 `DependencyTaskGroup`).
extension HeatTemplate {
    /// The names each resource waits for (`get_resource` targets and `depends_on`), only
    /// those that exist in the template, without repetition.
    public func dependencies(of r: HeatResource) -> [String] {
        var out: [String] = []
        for t in r.properties.flatMap(\.value.resourceReferences) + r.dependsOn
        where t != r.name && resource(t) != nil && !out.contains(t) { out.append(t) }
        return out
    }

    /// The creation schedule of this template (`StackSchedule`): `cost(resource)` is the work
    /// of each resource, `poll` Heat's step (1 s; zero = no quantisation), `base` the stack's
    /// fixed cost. A dependency cycle (which Heat rejects) is broken by ignoring the
    /// back edges, so the schedule is always defined.
    public func schedule(base: SimDuration, poll: SimDuration, cost: (HeatResource) -> SimDuration) -> StackSchedule {
        var end: [String: SimDuration] = [:]
        var start: [String: SimDuration] = [:]
        var via: [String: String] = [:]
        var visiting = Set<String>()
        func quantised(_ d: SimDuration) -> SimDuration {
            guard poll > .zero else { return d }
            let n = Swift.max(1, (d.nanoseconds + poll.nanoseconds - 1) / poll.nanoseconds)
            return poll * n
        }
        func finish(_ r: HeatResource) -> SimDuration {
            if let e = end[r.name] { return e }
            visiting.insert(r.name)
            var s = SimDuration.zero
            for d in dependencies(of: r) where !visiting.contains(d) {
                let e = finish(resource(d)!)
                if e > s { s = e; via[r.name] = d }
            }
            visiting.remove(r.name)
            start[r.name] = s
            let e = s + quantised(cost(r))
            end[r.name] = e
            return e
        }
        for r in resources { _ = finish(r) }
        let entries = resources.map { StackSchedule.Entry(name: $0.name, start: start[$0.name]!, end: end[$0.name]!) }
        var path: [String] = []
        if let last = entries.max(by: { $0.end < $1.end }) {
            var n: String? = last.name
            while let x = n { path.insert(x, at: 0); n = via[x] }
        }
        return StackSchedule(entries: entries, base: base, criticalPath: path)
    }
}
