import DRLSimCore

/// `protection.concurrency`: the actions of one execution run up to N at once, in member order
/// (Zerto protects the VMs of a VPG together; AWS DRS replicates every source server at once;
/// dr-landscape.md). Dragon's released engine runs them one after another (its loop over the
/// actions, orbit-software.md §3): N = 1, the default, keeps that code path unchanged. With
/// N > 1, when one action ends the next waiting one starts; once all have ended the metadata
/// and template are written as before. The transfers share the WAN through its queueing
/// discipline like any concurrent flows.
extension DREngine {
    /// Starts execution `id`'s first actions (one, or up to `concurrency`).
    func startMembers(_ id: Int) {
        let n = concurrency(of: executions[id].policy)
        guard n > 1 else { runMember(id, 0); return }
        launches[id] = MemberLaunch(limit: n)
        launchMembers(id)
    }

    /// Actions `policy`'s executions run at once.
    public func concurrency(of policy: String) -> Int { config.policyConcurrency[policy] ?? config.concurrency }

    /// An action of execution `id` ended: start the next ones, or write the metadata.
    func memberEnded(_ id: Int) {
        launches[id]?.running -= 1
        launchMembers(id)
    }

    private func launchMembers(_ id: Int) {
        guard let p = policy(executions[id].policy) else { return }
        while let l = launches[id], l.running < l.limit, l.next < p.members.count {
            launches[id]!.next += 1
            launches[id]!.running += 1
            runMember(id, l.next)
        }
        guard let l = launches[id], l.running == 0, l.next >= p.members.count, !l.metadata else { return }
        launches[id]!.metadata = true
        if !hasEnded { writeMetadata(id, p) }
    }

    /// Aborts every action running in a concurrent execution (the primary failed), in order.
    func abortLaunches() {
        for id in launches.keys.sorted() {
            for i in (launches[id]?.handles.keys.sorted() ?? []) { if let h = launches[id]?.handles[i] { dataPaths.abort(h) } }
        }
    }
}
