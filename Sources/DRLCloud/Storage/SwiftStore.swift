import DRLSimCore

/// The backup site's Swift object store used as the DR vault (paper section 3; orbit-software.md
/// section 3): a container per protection execution, 50 MiB chunk objects, a per-tenant global
/// container where image copies are kept once per checksum (each re-sent copy overwrites the
/// previous one: Dragon PUTs the image at every action), deletion of execution containers
/// (retention), and the bytes stored over time.
///
/// Bookkeeping: the live footprint per container kind (`footprint(_:)`) is kept incrementally
/// and obeys `storedBytes == uploadedBytes - deletedBytes`; `recomputedFootprint(_:)` recounts
/// it from the objects. Observers (`observe(_:)`, e.g. `VaultRecorder`) are told after every
/// change: a container created, deleted or marked ready, an object or image stored.
public final class SwiftStore {
    /// Execution containers in creation order (deleted ones stay, marked `.deleted`).
    @exclusivity(unchecked) public private(set) var containers: [SwiftContainer] = []
    /// Bumped whenever what `newestReadyItem(for:)` answers may change (a container becomes
    /// ready or stops being ready, an item joins a ready container).
    @exclusivity(unchecked) private var readyVersion = 0
    /// `newestReadyItem(for:)` of every resource, as of `readyIndexVersion`.
    @exclusivity(unchecked) private var readyIndex: [String: (SwiftContainer, ContainerItem)] = [:]
    @exclusivity(unchecked) private var readyIndexVersion = -1
    /// Global container per tenant: image checksum -> (stored bytes, chunk objects, instant
    /// stored), in storage order. Retention never deletes it (retained points refer to it).
    @exclusivity(unchecked) public private(set) var globalImages: [(tenant: String, checksum: String, bytes: Int64, objects: Int, storedAt: SimInstant)] = []
    /// Stored bytes over time: (instant, total bytes) after every change of the bytes.
    @exclusivity(unchecked) public private(set) var storedOverTime: [(SimInstant, Int64)] = []
    /// Total bytes currently stored.
    @exclusivity(unchecked) public private(set) var storedBytes: Int64 = 0
    /// Every byte ever stored (objects, images, including overwritten image copies).
    @exclusivity(unchecked) public private(set) var uploadedBytes: Int64 = 0
    /// Every byte deleted (deleted containers, overwritten image copies).
    @exclusivity(unchecked) public private(set) var deletedBytes: Int64 = 0
    @exclusivity(unchecked) private var executionFootprint = VaultFootprint()
    @exclusivity(unchecked) private var imageFootprint = VaultFootprint()
    @exclusivity(unchecked) private var observers: [(SwiftStore) -> Void] = []
    let sim: Simulator
    /// The proxy that fans objects out to the ring's replicas (and times their storage).
    public let proxy: SwiftProxy
    /// Copies of every object on the object servers (the ring's replica count). The byte
    /// counters of this store are one copy's (logical); the raw bytes are `replicas` x them.
    public var replicas: Int { proxy.replicas }

    /// An empty store with a `replicas`-copy ring behind a proxy NIC of `lanBytesPerSecond`
    /// (`SwiftProxy`; defaults: 3 replicas, 1 GbE).
    public init(sim: Simulator, replicas: Int = 3, lanBytesPerSecond: Double? = 125e6) {
        self.sim = sim
        self.proxy = SwiftProxy(sim: sim, replicas: replicas, lanBytesPerSecond: lanBytesPerSecond)
    }

    /// Calls `body` after every change of the store (in registration order).
    public func observe(_ body: @escaping (SwiftStore) -> Void) { observers.append(body) }

    /// The live footprint of `kind` (`other` is always empty in this model).
    public func footprint(_ kind: ContainerKind) -> VaultFootprint {
        switch kind {
        case .execution: return executionFootprint
        case .image: return imageFootprint
        case .other: return VaultFootprint()
        }
    }

    /// Whether a container of `kind` was ever created (its rows then appear in `storage.csv`).
    public func hasEverHeld(_ kind: ContainerKind) -> Bool {
        switch kind {
        case .execution: return !containers.isEmpty
        case .image: return !globalImages.isEmpty
        case .other: return false
        }
    }

    /// The footprint of `kind` counted again from the live containers and objects (the
    /// conservation check of the incremental counters).
    public func recomputedFootprint(_ kind: ContainerKind) -> VaultFootprint {
        var f = VaultFootprint()
        switch kind {
        case .execution:
            for c in containers where c.state != .deleted {
                f.containers += 1
                f.objects += c.objects.count
                f.storedBytes += c.storedBytes
                if c.state == .ready { f.recoveryPoints += 1 }
            }
        case .image:
            var tenants: [String] = []
            for i in globalImages {
                if !tenants.contains(i.tenant) { tenants.append(i.tenant) }
                f.objects += i.objects
                f.storedBytes += i.bytes
            }
            f.containers = tenants.count
        case .other: break
        }
        return f
    }

    /// Recovery points: ready execution containers.
    public var recoveryPoints: Int { executionFootprint.recoveryPoints }

    /// Creates a container `<tenant>_<policy>_<timestamp>` for `execution`, marked processing.
    public func createContainer(tenant: String, policy: String, execution: Int) -> SwiftContainer {
        let name = "\(tenant)_\(policy)_\(sim.now.nanoseconds / 1_000_000_000)_\(execution)"
        let c = SwiftContainer(name: name, execution: execution, createdAt: sim.now)
        containers.append(c)
        executionFootprint.containers += 1
        notify()
        return c
    }

    /// The container of `execution`.
    public func container(execution: Int) -> SwiftContainer? {
        containers.last { $0.execution == execution }
    }

    /// Stores an object whose last byte arrived now (ignored in a deleted container).
    public func put(_ name: String, bytes: Int64, in c: SwiftContainer) {
        guard c.state != .deleted else { return }
        c.objects.append(SwiftObject(name: name, bytes: bytes, storedAt: sim.now))
        executionFootprint.objects += 1
        executionFootprint.storedBytes += bytes
        uploadedBytes += bytes
        change(+bytes)
    }

    /// Records what `c` lets the backup recover for a resource.
    public func addItem(_ item: ContainerItem, to c: SwiftContainer) {
        c.items.append(item)
        if c.state == .ready { readyVersion += 1 }
    }

    /// Marks `c` ready: from now on it is a recovery point.
    public func markReady(_ c: SwiftContainer) {
        guard c.state == .processing else { return }
        c.state = .ready
        readyVersion += 1
        c.readyAt = sim.now
        executionFootprint.recoveryPoints += 1
        notify()
    }

    /// Whether the tenant's global container holds the image with `checksum`.
    public func hasImage(tenant: String, checksum: String) -> Bool {
        globalImages.contains { $0.tenant == tenant && $0.checksum == checksum }
    }

    /// Stores an image copy of `bytes` in `objects` chunks in the tenant's global container. Its
    /// objects are named by the checksum, so a re-sent copy overwrites the previous one: the
    /// bytes on the wire repeat, the stored bytes do not.
    public func putImage(tenant: String, checksum: String, bytes: Int64, objects: Int = 1) {
        let newTenant = !globalImages.contains { $0.tenant == tenant }
        if let i = globalImages.firstIndex(where: { $0.tenant == tenant && $0.checksum == checksum }) {
            let old = globalImages.remove(at: i)
            imageFootprint.objects -= old.objects
            imageFootprint.storedBytes -= old.bytes
            deletedBytes += old.bytes
            storedBytes -= old.bytes
        }
        globalImages.append((tenant, checksum, bytes, objects, sim.now))
        if newTenant { imageFootprint.containers += 1 }
        imageFootprint.objects += objects
        imageFootprint.storedBytes += bytes
        uploadedBytes += bytes
        change(+bytes)
    }

    /// Deletes an execution container and its objects (any state but deleted; a ready one stops
    /// being a recovery point). Returns false when it was already deleted.
    @discardableResult
    public func delete(_ c: SwiftContainer) -> Bool {
        guard c.state != .deleted else { return false }
        if c.state == .ready { executionFootprint.recoveryPoints -= 1; readyVersion += 1 }
        c.state = .deleted
        let bytes = c.storedBytes
        executionFootprint.containers -= 1
        executionFootprint.objects -= c.objects.count
        executionFootprint.storedBytes -= bytes
        deletedBytes += bytes
        change(-bytes)
        return true
    }

    /// Retention: deletes every ready container but the newest `keep` (the DR orchestrator's
    /// hourly cleanup keeps 1). Processing containers are never deleted. Returns the deleted names.
    @discardableResult
    public func applyRetention(keep: Int) -> [String] {
        let ready = containers.filter { $0.state == .ready }
        guard ready.count > keep else { return [] }
        var deleted: [String] = []
        for c in ready.prefix(ready.count - keep) {
            delete(c)
            deleted.append(c.name)
        }
        return deleted
    }

    /// The newest ready container holding an item for `resource`, with that item: over the
    /// ready containers in creation order, each one's last item for the resource, the first
    /// with the latest capture instant.
    ///
    /// Answered from an index rebuilt (one pass over the ready containers' items) only after
    /// the ready containers changed, so the DR-Logic's per-member, per-tick recovery points cost
    /// O(1) each instead of a scan of every container (DROrchestrator.logicInput).
    public func newestReadyItem(for resource: String) -> (SwiftContainer, ContainerItem)? {
        if readyIndexVersion != readyVersion {
            var index: [String: (SwiftContainer, ContainerItem)] = [:]
            for c in containers where c.state == .ready {
                var last: [String: ContainerItem] = [:]
                for it in c.items { last[it.resource] = it }
                for (r, it) in last where index[r] == nil || it.capturedAt > index[r]!.1.capturedAt { index[r] = (c, it) }
            }
            readyIndex = index
            readyIndexVersion = readyVersion
        }
        return readyIndex[resource]
    }

    private func change(_ d: Int64) {
        storedBytes += d
        storedOverTime.append((sim.now, storedBytes))
        notify()
    }

    private func notify() { for o in observers { o(self) } }
}
