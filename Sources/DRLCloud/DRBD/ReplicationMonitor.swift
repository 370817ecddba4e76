import DRLSimCore

/// One row of `replication.csv`, with the counters behind it (for checks).
public struct ReplicationSample: Hashable, Sendable {
    /// Sample instant.
    public var time: SimInstant
    /// The DRBD resource (volume name).
    public var resource: String
    /// The classified state.
    public var state: ReplicationState
    /// DRBD's own state name (Established, Ahead, AheadDrained, SyncSource, Connecting, StandAlone).
    public var drbdState: String
    /// Age of the oldest write the peer lacks.
    public var lag: SimDuration
    /// Bytes the peer lacks.
    public var backlogBytes: Int64
    /// Bytes handed to the replication socket so far.
    public var sentBytes: Int64
    /// Application bytes written so far.
    public var writtenBytes: Int64
    /// Seconds to synced (nil: unknown).
    public var etaSynced: Double?
    /// Bytes delivered to the peer so far (application + resync).
    public var peerBytes: Int64
    /// Bytes the bitmap made unnecessary (see `DRBDDevice.coalescedBytes`).
    public var coalescedBytes: Int64
    /// Bytes of the initial full sync.
    public var initialSyncBytes: Int64

    /// The row after `run, point, replication`; an unknown ETA is -1.
    public var row: [RecordValue] {
        [.double(time.seconds), .text(resource), .text(state.rawValue), .text(drbdState), .double(lag.seconds),
         .int(backlogBytes), .int(sentBytes), .int(writtenBytes), .double(etaSynced ?? -1)]
    }
}

/// Samples every DRBD resource into the `replication` table: one row per resource at every
/// multiple of `bin` (from time 0), plus one row whenever a resource's state or DRBD state
/// changes (dr-landscape.md "What users keep asking for" item 2: live lag, backlog and time to
/// synced). The table is declared at creation, so runs without DRBD have it with its header only.
///
/// Rows of one instant come in resource order, state changes before the periodic row when a
/// change happens at the sampling instant's event. The sampling timer runs only while at least
/// one device is attached and until `finish()`.
public final class ReplicationMonitor {
    /// Table name.
    public static let table = "replication"
    /// Columns after `run, point, replication`.
    public static let columns = ["t_s", "resource", "state", "drbd_state", "lag_s", "backlog_bytes", "sent_bytes",
                                 "written_bytes", "eta_synced_s"]

    /// Sampling period.
    public let bin: SimDuration
    /// Called with every emitted sample (tests check identities row by row).
    @exclusivity(unchecked) public var onSample: ((ReplicationSample) -> Void)?
    /// Rows emitted.
    @exclusivity(unchecked) public private(set) var rowsEmitted = 0

    let context: RunContext
    @exclusivity(unchecked) var entries: [(resource: String, device: any ReplicationSource, last: (ReplicationState, String))] = []
    @exclusivity(unchecked) var timer: EventID?
    @exclusivity(unchecked) var finished = false

    /// A monitor emitting to `context.recorder` every `bin`.
    public init(context: RunContext, bin: SimDuration) {
        precondition(bin > .zero, "replication bin must be positive")
        self.context = context
        self.bin = bin
        context.recorder.declare(Self.table, columns: Self.columns)
    }

    /// Starts watching `device` under the name `resource`; its first row comes at the next
    /// multiple of `bin` (now, when attached at time 0).
    public func add(resource: String, device: any ReplicationSource) {
        let i = entries.count
        entries.append((resource, device, (device.sampleReplicationState(), device.drbdStateName)))
        device.observer = { [unowned self] in self.check(i) }
        if timer == nil, !finished {
            let now = context.sim.now.nanoseconds, b = bin.nanoseconds
            let next = SimInstant(nanoseconds: (now + b - 1) / b * b)
            timer = context.sim.schedule(at: next) { [unowned self] _ in self.tick() }
        }
    }

    /// Stops sampling (end of run): no further rows.
    public func finish() {
        finished = true
        if let t = timer { context.sim.cancel(t); timer = nil }
    }

    /// The current sample of entry `i`.
    public func sample(_ i: Int) -> ReplicationSample {
        let e = entries[i], d = e.device
        return ReplicationSample(time: context.sim.now, resource: e.resource, state: d.sampleReplicationState(),
                                 drbdState: d.drbdStateName, lag: d.lag, backlogBytes: d.backlogBytes,
                                 sentBytes: d.sentBytes, writtenBytes: d.writtenBytes, etaSynced: d.etaSynced,
                                 peerBytes: d.peerBytes, coalescedBytes: d.coalescedBytes,
                                 initialSyncBytes: d.initialSyncBytes)
    }

    func check(_ i: Int) {
        guard !finished else { return }
        let d = entries[i].device
        let s = d.sampleReplicationState()
        let n = d.drbdStateName
        guard s != entries[i].last.0 || n != entries[i].last.1 else { return }
        emit(i)
    }

    func emit(_ i: Int) {
        let s = sample(i)
        entries[i].last = (s.state, s.drbdState)
        context.recorder.emit(Self.table, s.row)
        rowsEmitted += 1
        onSample?(s)
    }

    func tick() {
        timer = nil
        guard !finished else { return }
        for i in entries.indices { emit(i) }
        timer = context.sim.schedule(after: bin) { [unowned self] _ in self.tick() }
    }
}
