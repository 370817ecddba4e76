import DRLSimCore

/// One class of an `htb` qdisc (struct htb_class in net/sched/sch_htb.c).
///
/// Tokens are kept as time like tbf: `buffer = burst/rate`, `cbuffer = cburst/ceil`; a class is
/// CAN_SEND when its rate tokens are non-negative, MAY_BORROW when only its ceil tokens are,
/// CANT_SEND otherwise (htb_class_mode, with htb_hysteresis off as in current kernels).
public final class HtbClass {
    /// The class's mode (enum htb_cmode).
    public enum Mode: Sendable, Equatable { case cantSend, mayBorrow, canSend }

    /// The class id (`"1:10"`).
    public let classid: String
    /// Minor number of the class id (ordering of round-robin lists).
    public let minor: Int
    /// Assured rate.
    @exclusivity(unchecked) public private(set) var rate: Rate
    /// Ceiling rate (maximum with borrowing).
    @exclusivity(unchecked) public private(set) var ceil: Rate
    /// Rate bucket in bytes.
    @exclusivity(unchecked) public private(set) var burst: Int64
    /// Ceil bucket in bytes.
    @exclusivity(unchecked) public private(set) var cburst: Int64
    /// Priority 0-7 (lower is served first).
    public let prio: Int
    /// DRR quantum in bytes.
    @exclusivity(unchecked) public private(set) var quantum: Int
    /// The parent class, nil for a root class.
    @exclusivity(unchecked) public internal(set) weak var parent: HtbClass?
    /// Child classes (an inner class has children, a leaf has a qdisc).
    @exclusivity(unchecked) public internal(set) var children: [HtbClass] = []
    /// The leaf's qdisc (nil for an inner class).
    @exclusivity(unchecked) public internal(set) var leaf: Qdisc?
    /// Depth from the bottom: leaves are level 0, their parents level 1, ...
    @exclusivity(unchecked) public internal(set) var level = 0
    /// Bytes sent through this class.
    @exclusivity(unchecked) public internal(set) var sentBytes: Int64 = 0
    /// Packets sent through this class.
    @exclusivity(unchecked) public internal(set) var sentPackets: Int64 = 0
    /// Times this class sent borrowed bandwidth (xstats.borrows).
    @exclusivity(unchecked) public internal(set) var borrows: Int64 = 0
    /// Times this class lent (xstats.lends).
    @exclusivity(unchecked) public internal(set) var lends: Int64 = 0

    @exclusivity(unchecked) var bufferNs: Int64
    @exclusivity(unchecked) var cbufferNs: Int64
    @exclusivity(unchecked) var tokens: Int64
    @exclusivity(unchecked) var ctokens: Int64
    @exclusivity(unchecked) var checkpoint: SimInstant
    @exclusivity(unchecked) var deficit = [Int](repeating: 0, count: 8)

    /// Maximum token accumulation interval (q->mbuffer? cl->mbuffer = 60 s in htb_change_class).
    static let mbuffer: Int64 = 60_000_000_000

    init(classid: String, minor: Int, rate: Rate, ceil: Rate, burst: Int64, cburst: Int64, prio: Int, quantum: Int) {
        self.classid = classid; self.minor = minor; self.rate = rate; self.ceil = ceil
        self.burst = burst; self.cburst = cburst; self.prio = prio; self.quantum = quantum
        bufferNs = rate.nanoseconds(forBytes: burst)
        cbufferNs = ceil.nanoseconds(forBytes: cburst)
        tokens = bufferNs
        ctokens = cbufferNs
        checkpoint = .zero
    }

    /// Changes the rates at run time (`tc class change ... htb rate R ceil C`, htb_change_class):
    /// buckets keep their byte sizes and are re-expressed in time; tokens are clamped to the new
    /// buckets; the quantum is recomputed from `r2q` unless `quantum` is given.
    public func change(rate newRate: Rate, ceil newCeil: Rate? = nil, quantum newQuantum: Int? = nil, r2q: Int = 10) {
        rate = newRate
        ceil = max(newCeil ?? newRate, newRate)
        bufferNs = rate.nanoseconds(forBytes: burst)
        cbufferNs = ceil.nanoseconds(forBytes: cburst)
        tokens = min(tokens, bufferNs)
        ctokens = min(ctokens, cbufferNs)
        quantum = newQuantum ?? min(200_000, max(1000, Int(rate.bytesPerSecond / Int64(r2q))))
    }

    /// The mode at `now` and, when not CAN_SEND, how long until it would change (htb_class_mode).
    func mode(at now: SimInstant) -> (Mode, Int64) {
        let diff = min(now.nanoseconds - checkpoint.nanoseconds, HtbClass.mbuffer)
        let c = ctokens + diff
        if c < 0 { return (.cantSend, -c) }
        let t = tokens + diff
        if t >= 0 { return (.canSend, 0) }
        return (.mayBorrow, -t)
    }

    /// The mode at `now`.
    public func currentMode(at now: SimInstant) -> Mode { mode(at: now).0 }

    /// Charges `bytes` sent at `level` (htb_charge_class for this class; the caller walks up).
    func charge(bytes: Int64, level sendLevel: Int, now: SimInstant) {
        let diff = min(now.nanoseconds - checkpoint.nanoseconds, HtbClass.mbuffer)
        if level >= sendLevel {
            if level == sendLevel { lends += 1 }
            var t = diff + tokens
            if t > bufferNs { t = bufferNs }
            t -= rate.nanoseconds(forBytes: bytes)
            if t <= -HtbClass.mbuffer { t = 1 - HtbClass.mbuffer }
            tokens = t
        } else {
            borrows += 1
            tokens += diff
        }
        var c = diff + ctokens
        if c > cbufferNs { c = cbufferNs }
        c -= ceil.nanoseconds(forBytes: bytes)
        if c <= -HtbClass.mbuffer { c = 1 - HtbClass.mbuffer }
        ctokens = c
        checkpoint = now
        sentBytes += bytes
        sentPackets += 1
    }
}
