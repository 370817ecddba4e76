import DRLSimCore

/// The backup site's Swift proxy fanning every object out to its replicas (swift 2.3
/// `swift/proxy/controllers/obj.py` `ObjectController._transfer_data`: each chunk the client
/// sends is written to a connection per replica, the PUT answers once a quorum of object servers,
/// 2 of 3, stored it). The ring has `replicas` copies (the Kilo install guide builds a 3-replica
/// ring); one is assumed on the proxy's own node, so `replicas - 1` copies of every byte cross the
/// backup's LAN through the proxy's NIC at `lanBytesPerSecond`.
///
/// A fluid FIFO server: bytes delivered by the WAN enter it as `replicas - 1` LAN copies, it
/// drains at the NIC's rate, and an object is stored once the server has sent all its copies
/// (the replica streams share the NIC equally, so the quorum's copies finish with the last one).
/// It does not push back on the WAN; with serial uploads (`pipelineDepth` 0) the client waits for
/// each PUT anyway. Bytes written to object-server disks: `replicas` x the client's bytes.
public final class SwiftProxy {
    /// Copies of each object (the ring's replica count).
    public let replicas: Int
    /// The proxy NIC's rate towards the object servers, B/s (nil: unlimited).
    public let lanBytesPerSecond: Double?
    /// Every byte sent over the backup's LAN to object servers.
    @exclusivity(unchecked) public private(set) var lanBytes: Int64 = 0
    /// Every byte written to object-server disks (all replicas).
    @exclusivity(unchecked) public private(set) var diskBytes: Int64 = 0
    let sim: Simulator
    @exclusivity(unchecked) private var served: Double = 0       // LAN bytes sent so far (fluid)
    @exclusivity(unchecked) private var arrived: Double = 0      // LAN bytes handed to the proxy so far
    @exclusivity(unchecked) private var last: SimInstant = .zero
    @exclusivity(unchecked) private var waiters: [(target: Double, fire: () -> Void)] = []
    @exclusivity(unchecked) private var timer: EventID?

    /// A proxy for a ring of `replicas` copies behind a NIC of `lanBytesPerSecond`.
    public init(sim: Simulator, replicas: Int = 3, lanBytesPerSecond: Double? = 125e6) {
        self.sim = sim
        self.replicas = Swift.max(1, replicas)
        self.lanBytesPerSecond = lanBytesPerSecond
    }

    private var lanCopies: Int { replicas - 1 }

    private func advance() {
        let now = sim.now
        if let r = lanBytesPerSecond {
            served = Swift.min(arrived, served + r * (now - last).seconds)
        } else {
            served = arrived
        }
        last = now
    }

    /// `bytes` of an object arrived from the client now; `objectComplete` is called when they
    /// end an object: it runs once the object's copies are on the object servers.
    public func receive(_ bytes: Int64, objectComplete: (() -> Void)?) {
        advance()
        arrived += Double(bytes) * Double(lanCopies)
        lanBytes += bytes * Int64(lanCopies)
        diskBytes += bytes * Int64(replicas)
        guard let objectComplete else { return }
        waiters.append((arrived, objectComplete))
        schedule()
    }

    private func schedule() {
        if let t = timer { sim.cancel(t); timer = nil }
        advance()
        while let w = waiters.first, w.target <= served + 0.5 {
            waiters.removeFirst()
            w.fire()
        }
        guard let w = waiters.first, let r = lanBytesPerSecond else { return }
        let wait = SimDuration.seconds((w.target - served) / r)
        timer = sim.schedule(after: Swift.max(.nanoseconds(1), wait)) { [weak self] _ in
            self?.timer = nil
            self?.schedule()
        }
    }
}
