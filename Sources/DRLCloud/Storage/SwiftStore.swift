import DRLSimCore

/// The backup site's Swift object store used as the DR vault (paper section 3; orbit-software.md
/// section 3): a container per protection execution, 50 MiB chunk objects, a per-tenant global
/// container where image copies are stored once by checksum, retention that keeps the newest N
/// execution containers, and the bytes stored over time.
public final class SwiftStore {
    /// Execution containers in creation order (deleted ones stay, marked `.deleted`).
    public private(set) var containers: [SwiftContainer] = []
    /// Global container per tenant: image checksum -> (stored bytes, instant stored), in storage order.
    public private(set) var globalImages: [(tenant: String, checksum: String, bytes: Int64, storedAt: SimInstant)] = []
    /// Stored bytes over time: (instant, total bytes) after every change.
    public private(set) var storedOverTime: [(SimInstant, Int64)] = []
    /// Total bytes currently stored.
    public private(set) var storedBytes: Int64 = 0
    let sim: Simulator

    /// An empty store.
    public init(sim: Simulator) { self.sim = sim }

    /// Creates a container `<tenant>_<policy>_<timestamp>` for `execution`, marked processing.
    public func createContainer(tenant: String, policy: String, execution: Int) -> SwiftContainer {
        let name = "\(tenant)_\(policy)_\(sim.now.nanoseconds / 1_000_000_000)_\(execution)"
        let c = SwiftContainer(name: name, execution: execution, createdAt: sim.now)
        containers.append(c)
        return c
    }

    /// The container of `execution`.
    public func container(execution: Int) -> SwiftContainer? {
        containers.last { $0.execution == execution }
    }

    /// Stores an object whose last byte arrived now.
    public func put(_ name: String, bytes: Int64, in c: SwiftContainer) {
        guard c.state != .deleted else { return }
        c.objects.append(SwiftObject(name: name, bytes: bytes, storedAt: sim.now))
        change(+bytes)
    }

    /// Records what `c` lets the backup recover for a resource.
    public func addItem(_ item: ContainerItem, to c: SwiftContainer) { c.items.append(item) }

    /// Marks `c` ready: from now on it is a recovery point.
    public func markReady(_ c: SwiftContainer) {
        guard c.state == .processing else { return }
        c.state = .ready
        c.readyAt = sim.now
    }

    /// Whether the tenant's global container holds the image with `checksum`.
    public func hasImage(tenant: String, checksum: String) -> Bool {
        globalImages.contains { $0.tenant == tenant && $0.checksum == checksum }
    }

    /// Stores an image copy in the tenant's global container (replacing a previous copy).
    public func putImage(tenant: String, checksum: String, bytes: Int64) {
        if let i = globalImages.firstIndex(where: { $0.tenant == tenant && $0.checksum == checksum }) {
            change(-globalImages[i].bytes)
            globalImages.remove(at: i)
        }
        globalImages.append((tenant, checksum, bytes, sim.now))
        change(+bytes)
    }

    /// Retention: deletes every ready container but the newest `keep` (the DR orchestrator's
    /// hourly cleanup keeps 1). Processing containers are never deleted. Returns the deleted names.
    @discardableResult
    public func applyRetention(keep: Int) -> [String] {
        let ready = containers.filter { $0.state == .ready }
        guard ready.count > keep else { return [] }
        var deleted: [String] = []
        for c in ready.prefix(ready.count - keep) {
            c.state = .deleted
            change(-c.storedBytes)
            deleted.append(c.name)
        }
        return deleted
    }

    /// The newest ready container holding an item for `resource`, with that item.
    public func newestReadyItem(for resource: String) -> (SwiftContainer, ContainerItem)? {
        var best: (SwiftContainer, ContainerItem)? = nil
        for c in containers where c.state == .ready {
            if let it = c.items.last(where: { $0.resource == resource }) {
                if best == nil || it.capturedAt > best!.1.capturedAt { best = (c, it) }
            }
        }
        return best
    }

    private func change(_ d: Int64) {
        storedBytes += d
        storedOverTime.append((sim.now, storedBytes))
    }
}
