/// Nova's concurrent builds at the backup site: each compute host builds (spawns) at most
/// `max_concurrent_builds` instances at once, further builds on that host wait (nova.conf
/// `[DEFAULT] max_concurrent_builds`, "Limits the maximum number of instance builds to run
/// concurrently by nova-compute", default 10; OpenStack Nova configuration reference,
/// docs.openstack.org/nova/latest/configuration/config.html). Placement spreads: a build goes
/// to the host with the fewest builds running (the filter scheduler's default RAMWeigher,
/// `ram_weight_multiplier` = 1.0, prefers the emptiest host), ties to the lowest host index;
/// when every host is at its limit the build waits for the first slot freed (FIFO).
/// Pure: build ids in, (build, host) starts out.
public struct BuildSlots: Sendable {
    /// Compute hosts.
    public let hosts: Int
    /// Builds at once per host.
    public let limit: Int
    private var running: [Int]
    private var waiting: [Int] = []
    private var head = 0

    /// `hosts` compute hosts, each building at most `limit` at once (both >= 1).
    public init(hosts: Int, limit: Int) {
        precondition(hosts >= 1 && limit >= 1, "hosts and limit must be at least 1")
        self.hosts = hosts; self.limit = limit
        running = Array(repeating: 0, count: hosts)
    }

    /// Builds waiting for a slot.
    public var queued: Int { waiting.count - head }

    /// Build `id` is requested: the host it starts on now, or nil (it waits).
    public mutating func request(_ id: Int) -> Int? {
        if let h = freeHost() { running[h] += 1; return h }
        waiting.append(id)
        return nil
    }

    /// A build on `host` ended: the waiting build that starts now, with its host.
    public mutating func release(host: Int) -> (id: Int, host: Int)? {
        precondition(running[host] > 0, "no build running on host \(host)")
        running[host] -= 1
        guard head < waiting.count, let h = freeHost() else { return nil }
        let id = waiting[head]
        head += 1
        if head > 64, head * 2 > waiting.count { waiting.removeFirst(head); head = 0 }
        running[h] += 1
        return (id, h)
    }

    private func freeHost() -> Int? {
        var best: Int?
        for h in 0..<hosts where running[h] < limit {
            if best == nil || running[h] < running[best!] { best = h }
        }
        return best
    }
}
