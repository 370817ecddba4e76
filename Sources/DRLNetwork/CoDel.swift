import DRLSimCore

/// CoDel's per-queue state and control law with Linux's fixed-point arithmetic
/// (include/net/codel.h, include/net/codel_impl.h; Nichols & Jacobson, RFC 8289).
///
/// Time is kept in codel units of 1024 ns (`CODEL_SHIFT` 10) in wrapping 32-bit arithmetic;
/// `recInvSqrt` is 1/sqrt(count) in Q0.16, refined by one Newton step per count change
/// (`codel_Newton_step`), and the next drop is `t + interval * recInvSqrt` (`codel_control_law`).
public struct CoDelState: Sendable, Equatable {
    /// Drops in the current dropping cycle.
    public var count: UInt32 = 0
    /// `count` at the start of the last cycle.
    public var lastCount: UInt32 = 0
    /// True in the dropping state.
    public var dropping = false
    /// 1/sqrt(count) in Q0.16.
    public var recInvSqrt: UInt16 = 0
    /// When the sojourn time first stayed above target (0 = not above).
    public var firstAboveTime: UInt32 = 0
    /// When the next drop is due (codel units).
    public var dropNext: UInt32 = 0
    /// The last sojourn time (codel units).
    public var lastDelay: UInt32 = 0
    /// Times `dropNext` was recomputed by the control law (ns-3's DropNext trace count).
    public var dropNextUpdates: Int = 0

    /// A fresh state (codel_vars_init).
    public init() {}

    /// Nanoseconds -> codel time units (ns >> 10, wrapping to 32 bits).
    @inlinable public static func codelTime(_ t: SimInstant) -> UInt32 { UInt32(truncatingIfNeeded: t.nanoseconds >> 10) }
    /// A duration in codel units.
    @inlinable public static func codelTime(_ d: SimDuration) -> UInt32 { UInt32(truncatingIfNeeded: d.nanoseconds >> 10) }

    @inlinable static func after(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) > 0 }
    @inlinable static func afterEq(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) >= 0 }
    @inlinable static func before(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) < 0 }

    /// One Newton step of 1/sqrt(count) in Q0.16 (codel_Newton_step).
    public mutating func newtonStep() {
        recInvSqrt = CoDelState.newtonStep(recInvSqrt: recInvSqrt, count: count)
    }

    /// The Newton step as a pure function (for unit tests against the kernel formula).
    public static func newtonStep(recInvSqrt: UInt16, count: UInt32) -> UInt16 {
        let invsqrt = UInt32(recInvSqrt) << 16
        let invsqrt2 = UInt32(truncatingIfNeeded: (UInt64(invsqrt) * UInt64(invsqrt)) >> 32)
        var val = (UInt64(3) << 32) &- UInt64(count) &* UInt64(invsqrt2)
        val >>= 2
        val = (val &* UInt64(invsqrt)) >> (32 - 2 + 1)
        return UInt16(truncatingIfNeeded: val >> 16)
    }

    /// `t + interval / sqrt(count)` in codel units (codel_control_law with reciprocal_scale).
    public static func controlLaw(_ t: UInt32, interval: UInt32, recInvSqrt: UInt16) -> UInt32 {
        t &+ UInt32(truncatingIfNeeded: (UInt64(interval) * UInt64(UInt32(recInvSqrt) << 16)) >> 32)
    }
}

/// CoDel's parameters (codel_params); defaults target 5 ms, interval 100 ms, mtu 1514 B
/// (psched_mtu of an Ethernet device), from drbd-and-tc.md and sch_codel.c.
public struct CoDelParameters: Sendable, Equatable {
    /// Acceptable standing queue delay.
    public var target: SimDuration = .milliseconds(5)
    /// Sliding window for the minimum delay.
    public var interval: SimDuration = .milliseconds(100)
    /// Below this backlog (bytes) never drop.
    public var mtu: Int64 = 1514
    /// Linux defaults.
    public init() {}
    /// Explicit parameters.
    public init(target: SimDuration, interval: SimDuration, mtu: Int64 = 1514) {
        self.target = target; self.interval = interval; self.mtu = mtu
    }

    /// The CoDel keys `codel` and `fq_codel` share (tc-codel(8), tc-fq_codel(8)): `target` and
    /// `interval`, defaulting to RFC 8289's 5 ms and 100 ms.
    static let specs: [ParameterSpec] = [
        ParameterSpec("target", .duration, default: .duration(CoDelParameters().target), doc: "acceptable standing queue delay (RFC 8289; default 5ms)"),
        ParameterSpec("interval", .duration, default: .duration(CoDelParameters().interval), doc: "sliding window of the minimum delay (RFC 8289; default 100ms)"),
    ]

    /// `target` and `interval` from a qdisc's resolved keys (`specs`), mtu 1514 B.
    init(_ p: QdiscParams) {
        self.init(target: p.time("target")!, interval: p.time("interval")!)
    }
}

/// The CoDel dequeue algorithm over an abstract queue (codel_dequeue), shared by `codel` and
/// `fq_codel`. The caller supplies head removal, the backlog after removal, and a drop sink.
enum CoDelAlgorithm {
    static func shouldDrop(_ p: Packet?, _ v: inout CoDelState, _ params: CoDelParameters,
                           backlog: Int64, now: UInt32) -> Bool {
        guard let p else { v.firstAboveTime = 0; return false }
        v.lastDelay = now &- CoDelState.codelTime(p.enqueuedAt)
        if CoDelState.before(v.lastDelay, CoDelState.codelTime(params.target)) || backlog <= params.mtu {
            v.firstAboveTime = 0
            return false
        }
        if v.firstAboveTime == 0 {
            v.firstAboveTime = now &+ CoDelState.codelTime(params.interval)
        } else if CoDelState.after(now, v.firstAboveTime) {
            return true
        }
        return false
    }

    /// Dequeues through CoDel: `dequeueHead` removes the head and returns it with the backlog
    /// left; `drop` discards a packet.
    static func dequeue(_ v: inout CoDelState, _ params: CoDelParameters, now t: SimInstant,
                        dequeueHead: () -> (Packet, Int64)?, drop: (Packet) -> Void) -> Packet? {
        guard var (p, backlog) = dequeueHead() else { v.dropping = false; return nil }
        let now = CoDelState.codelTime(t)
        let interval = CoDelState.codelTime(params.interval)
        var skb: Packet? = p
        var drop1 = shouldDrop(p, &v, params, backlog: backlog, now: now)
        if v.dropping {
            if !drop1 {
                v.dropping = false
            } else if CoDelState.afterEq(now, v.dropNext) {
                while v.dropping && CoDelState.afterEq(now, v.dropNext) {
                    v.count &+= 1
                    v.newtonStep()
                    drop(skb!)
                    if let next = dequeueHead() { (p, backlog) = next; skb = p } else { skb = nil }
                    if !shouldDrop(skb, &v, params, backlog: backlog, now: now) {
                        v.dropping = false
                    } else {
                        v.dropNext = CoDelState.controlLaw(v.dropNext, interval: interval, recInvSqrt: v.recInvSqrt)
                        v.dropNextUpdates += 1
                    }
                }
            }
        } else if drop1 {
            drop(skb!)
            if let next = dequeueHead() { (p, backlog) = next; skb = p } else { skb = nil }
            drop1 = shouldDrop(skb, &v, params, backlog: backlog, now: now)
            v.dropping = true
            let delta = v.count &- v.lastCount
            if delta > 1 && CoDelState.before(now &- v.dropNext, 16 &* interval) {
                v.count = delta
                v.newtonStep()
            } else {
                v.count = 1
                v.recInvSqrt = UInt16.max
            }
            v.lastCount = v.count
            v.dropNext = CoDelState.controlLaw(now, interval: interval, recInvSqrt: v.recInvSqrt)
            v.dropNextUpdates += 1
        }
        return skb
    }
}
