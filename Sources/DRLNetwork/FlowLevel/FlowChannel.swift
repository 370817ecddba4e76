import DRLSimCore

/// A byte stream of the flow-level model: the `TransferChannel` of `FlowNetwork`.
///
/// The stream sends its unsent bytes (accepted minus sent) at the rate its direction allocates;
/// it is in the allocation (bounded by TCP's window limit `W / RTT`) while it has unsent bytes,
/// out of it otherwise. Every rate change closes a *segment* of the sent curve (start time,
/// position, rate, one-way delay), so `delivered(t)` is the position sent at `t - owd` and
/// `acknowledged(t)` the position sent at `t - owd - return delay`, both exact for the fluid
/// model. No event runs per packet: the stream wakes only when
/// - its unsent bytes run out (it leaves the allocation: the direction reallocates);
/// - an offer boundary (a *milestone*: the end of what one `offer` accepted) is delivered or
///   acknowledged (`onDelivered` / `onAcknowledged` with the cumulative count);
/// - after a short `offer` (the writer found the buffer full), acknowledgements freed a quantum
///   of the send buffer (`onSpace`), `spaceQuantum` = 1/8 of the buffer, at most 1 MiB, so a
///   writer keeps the buffer nearly full with a few wake-ups per round trip (a window-limited
///   stream has `W x serialisation / RTT` of slack, more than a quantum for buffers up to ~8 x
///   that, so it does not idle between refills).
///
/// Blocking the forward direction loses what was in flight (the sender resends it when the
/// path is back, at once: no retransmission timeout, Docs/flow-model.md); blocking the reverse
/// direction freezes acknowledgements; either stalls the stream.
public final class FlowChannel: FlowMember, TransferChannel {
    struct Segment {
        var start: Int64        // ns
        var position: Double    // bytes sent before the segment
        var rate: Double        // payload bytes/s
        var owd: Int64          // one-way delay of bytes sent in the segment, ns
    }

    public let sendBufferBytes: Int64
    public private(set) var acceptedBytes: Int64 = 0
    /// Bytes delivered so far (updated when read: the fluid position, in order).
    public var deliveredBytes: Int64 {
        if !aborted { reported.delivered = Swift.max(reported.delivered, floorPosition(position(at: network.sim.now, ack: false))) }
        return reported.delivered
    }
    /// Bytes acknowledged so far (updated when read).
    public var acknowledgedBytes: Int64 {
        if !aborted { reported.acked = Swift.max(reported.acked, floorPosition(position(at: network.sim.now, ack: true))) }
        return reported.acked
    }
    public var onSpace: (() -> Void)?
    public var onDelivered: ((Int64) -> Void)?
    public var onAcknowledged: ((Int64) -> Void)?
    /// Payload bytes sent so far (fluid), at the last integration.
    public private(set) var sentPosition: Double = 0
    /// Bytes that were in flight when the forward direction was blocked (sent again later).
    public private(set) var lostInFlightBytes: Int64 = 0
    /// Whether `abort()` was called.
    public private(set) var aborted = false
    /// Wake-ups of this stream (its share of the model's events).
    public private(set) var wakeups: Int64 = 0

    var reported = (delivered: Int64(0), acked: Int64(0))
    var deliveryCallbacks: (delivered: Int64, acked: Int64) = (0, 0)
    var segments = Ring<Segment>()
    /// Segments (from the front) wholly delivered / acknowledged by now (scan hints).
    var deliveryHint = 0
    var ackHint = 0
    var milestones = Ring<Int64>()
    /// Milestones (from the ring's front) not beyond the last reported delivery.
    var deliveredMilestones = 0
    var wantsSpace = false
    var ackFrozenAt: Int64? = nil
    /// The pending wake-up's time and number (earlier wake-ups carry older numbers and are
    /// ignored: no cancellation, which `Simulator.run(until:)` would step over).
    var wakeAt = SimInstant.distantFuture
    var wakeNumber: UInt32 = 0
    var lastWake = SimInstant.distantFuture
    var sameInstantWakes = 0
    /// The return path of acknowledgements (reverse propagation and netem).
    let returnDelay: SimDuration

    init(id: Int, network: FlowNetwork, link: FlowLink, reverse: FlowLink, trafficClass: TrafficClass,
         sendBuffer: Int64, window: Int64) {
        sendBufferBytes = sendBuffer
        let (_, back) = reverse.root.leaf(trafficClass: .ack, flow: Int32(id), priority: 0)
        returnDelay = reverse.delay + back
        super.init(id: id, network: network, link: link, reverse: reverse, trafficClass: trafficClass,
                   window: window, flowID: Int32(id), priority: 0)
        segments.append(Segment(start: network.sim.now.nanoseconds, position: 0, rate: 0, owd: currentOneWayDelay.nanoseconds))
    }

    /// Bytes accepted but not sent yet.
    public var unsentBytes: Double { Swift.max(0, Double(acceptedBytes) - sentPosition) }

    /// Bytes accepted but not sent by `now` (the fluid position since the last integration).
    func unsent(at now: SimInstant) -> Double {
        Swift.max(0, Double(acceptedBytes) - sentPosition - rate * Swift.max(0, (now - since).seconds))
    }

    /// A stream alone in its direction's allocation keeps its rate when it drains (nobody else
    /// could use the share): no wake-up at the drain; the next offer or allocation closes it.
    var drainsLazily: Bool { link.members.count == 1 }

    /// The free-space quantum after which a writer blocked on a full buffer is called.
    public var spaceQuantum: Int64 { Swift.max(1, Swift.min(sendBufferBytes / 8, 1_048_576)) }

    public func offer(_ bytes: Int64) -> Int64 {
        guard !aborted, bytes > 0 else { return 0 }
        let n = Swift.min(bytes, Swift.max(0, sendBufferBytes - (acceptedBytes - acknowledgedBytes)))
        if n < bytes { wantsSpace = true }
        guard n > 0 else { return 0 }
        let now = network.sim.now
        let wasIdle = unsent(at: now) < 0.5
        if wasIdle, rate > 0 {
            // Drained lazily: record the gap (the sent curve stops where it drained).
            advance(to: now)
            if segments.last!.start != now.nanoseconds {
                segments.append(Segment(start: now.nanoseconds, position: sentPosition, rate: rate, owd: segments.last!.owd))
            }
        }
        acceptedBytes += n
        milestones.append(acceptedBytes)
        if wasIdle { network.activate(self); network.reallocate(link) } else { scheduleNext() }
        return n
    }

    public func abort() {
        guard !aborted else { return }
        _ = deliveredBytes
        _ = acknowledgedBytes
        aborted = true
        onSpace = nil; onDelivered = nil; onAcknowledged = nil
        wakeAt = .distantFuture
        wakeNumber &+= 1
        network.remove(self)
    }

    // MARK: the fluid model

    override func bound() -> Double { unsentBytes >= 0.5 ? windowLimit : 0 }

    override func inFlightLimit() -> Double { Swift.min(Double(window), Double(acceptedBytes - acknowledgedBytes)) }

    override func advance(to now: SimInstant) {
        if rate > 0, now > since {
            let d = Swift.min(rate * (now - since).seconds, unsentBytes)
            sentPosition += d
            // The bytes went out from `since` until they ran out (a lazily drained stream idles after).
            let busy = Swift.min(now, since + .nanoseconds(Int64((d / rate * 1e9).rounded(.up))))
            link.account(payload: d, trafficClass: trafficClass, from: since, to: busy, carry: &wireCarry)
        }
        if unsentBytes < 0.5 { sentPosition = Swift.max(sentPosition, Double(acceptedBytes)) }
        since = now
    }

    override func rateAllocated(_ r: Double, at now: SimInstant) {
        let owd = currentOneWayDelay.nanoseconds
        if r != rate || owd != segments.last!.owd {
            if segments.last!.start == now.nanoseconds, segments.count > 1 || segments.last!.position == sentPosition {
                segments[segments.count - 1] = Segment(start: now.nanoseconds, position: sentPosition, rate: r, owd: owd)
            } else {
                segments.append(Segment(start: now.nanoseconds, position: sentPosition, rate: r, owd: owd))
            }
        }
        rate = r
        scheduleNext()
    }

    override func pathChanged(at now: SimInstant) {
        guard !aborted else { return }
        if link.isBlocked {
            let d = deliveredBytes
            lostInFlightBytes += Int64((sentPosition - Double(d)).rounded())
            sentPosition = Double(d)
            segments.removeAll()
            deliveryHint = 0
            ackHint = 0
            segments.append(Segment(start: now.nanoseconds, position: sentPosition, rate: 0, owd: currentOneWayDelay.nanoseconds))
        }
        if reverse.isBlocked { if ackFrozenAt == nil { ackFrozenAt = acknowledgedBytes } } else { ackFrozenAt = nil }
    }

    /// The end position of segment `k` (the next segment's start, or what is sent by `now`).
    private func end(_ k: Int, now: SimInstant) -> Double {
        if k + 1 < segments.count { return segments[k + 1].position }
        return Swift.min(Double(acceptedBytes), sentPosition + rate * Swift.max(0, (now - since).seconds))
    }

    /// The position delivered (or acknowledged) by `t`: bytes sent at `s` arrive at `s + owd`.
    func position(at t: SimInstant, ack: Bool) -> Double {
        var pos = Double(ack ? reported.acked : reported.delivered)
        let now = network.sim.now
        // Segments before the hint were passed by an earlier call at an earlier or equal time.
        var k0 = Swift.min(ack ? ackHint : deliveryHint, Swift.max(0, segments.count - 1))
        if t < now { k0 = 0 }
        for k in k0..<segments.count {
            let s = segments[k]
            let lag = s.owd + (ack ? returnDelay.nanoseconds : 0)
            let sMax = t.nanoseconds - lag
            if sMax < s.start { break }
            let e = end(k, now: now)
            let p = Swift.min(e, s.position + s.rate * Double(sMax - s.start) / 1e9)
            pos = Swift.max(pos, p)
            if p < e { break }
            if t == now, k + 1 < segments.count { if ack { ackHint = k + 1 } else { deliveryHint = k + 1 } }
        }
        if ack, let f = ackFrozenAt { pos = Swift.min(pos, Double(f)) }
        return pos
    }

    /// When position `x` is (or will be, at the current rate) delivered, or acknowledged.
    func arrival(of x: Int64, ack: Bool) -> SimInstant? {
        if ack, ackFrozenAt != nil { return nil }
        let lagExtra = ack ? returnDelay.nanoseconds : 0
        let xd = Double(x)
        for k in 0..<segments.count {
            let s = segments[k]
            let e = k + 1 < segments.count ? segments[k + 1].position : .infinity
            guard xd <= e + 1e-6 else { continue }
            if xd <= s.position + 1e-6 { return SimInstant(nanoseconds: s.start + s.owd + lagExtra) }
            guard s.rate > 0 else { return nil }
            if k + 1 == segments.count, xd > Double(acceptedBytes) + 1e-6 { return nil }
            let ns = (Double(s.start) + (xd - s.position) / s.rate * 1e9).rounded(.up)
            guard ns < 9e18 else { return nil }
            return SimInstant(nanoseconds: Int64(ns) + s.owd + lagExtra)
        }
        return nil
    }

    /// The first offer boundary beyond `x` (boundaries ascend).
    /// (The ring's front is the first boundary not acknowledged; `deliveredMilestones` indexes
    /// the first not delivered: both scans are amortised O(1) per boundary.)
    private func firstMilestone(after x: Int64) -> Int64? {
        var i = x >= deliveryCallbacks.delivered ? deliveredMilestones : 0
        while i < milestones.count, milestones[i] <= x { i += 1 }
        return i < milestones.count ? milestones[i] : nil
    }

    private func floorPosition(_ p: Double) -> Int64 {
        Swift.min(acceptedBytes, Int64((p + 1e-3).rounded(.down)))
    }

    /// Where a blocked writer is called: acked = accepted - buffer + quantum (a quantum free).
    var spaceTarget: Int64 {
        Swift.min(acceptedBytes, Swift.max(deliveryCallbacks.acked + 1, acceptedBytes - sendBufferBytes + spaceQuantum))
    }

    /// Schedules the stream's next wake-up (the earliest of drain, milestone, space).
    func scheduleNext() {
        guard !aborted else { return }
        let now = network.sim.now
        var t = SimInstant.distantFuture
        if rate > 0, unsentBytes >= 0.5, !drainsLazily {
            let left = unsentBytes - rate * (now - since).seconds
            t = Swift.max(now, now + .nanoseconds(Int64((Swift.max(0, left) / rate * 1e9).rounded(.up))))
        }
        if onDelivered != nil, let m = firstMilestone(after: deliveryCallbacks.delivered),
           let a = arrival(of: m, ack: false) { t = Swift.min(t, a) }
        if onAcknowledged != nil, let m = firstMilestone(after: deliveryCallbacks.acked),
           let a = arrival(of: m, ack: true) { t = Swift.min(t, a) }
        if wantsSpace {
            if let a = arrival(of: spaceTarget, ack: true) { t = Swift.min(t, a) }
        }
        guard t != wakeAt else { return }
        // A wake-up due now right after one at this instant made no progress (rounding of a
        // fluid position): look again a nanosecond later instead of spinning.
        if t <= now, lastWake == now { sameInstantWakes += 1 } else { sameInstantWakes = 0 }
        if sameInstantWakes > 2 { t = now + .nanoseconds(1) }
        wakeNumber &+= 1
        wakeAt = t
        if t < .distantFuture { network.scheduleWake(of: self, number: wakeNumber, at: Swift.max(now, t)) }
    }

    /// The wake-up: leave the allocation when drained, then report milestones and space.
    func woke(number: UInt32) {
        guard number == wakeNumber, wakeAt < .distantFuture else { return }
        wakeAt = .distantFuture
        guard !aborted else { return }
        wakeups += 1
        let now = network.sim.now
        lastWake = now
        if rate > 0, unsent(at: now) < 0.5, !drainsLazily {
            network.reallocate(link)
        }
        var d = deliveredBytes
        var i = Swift.min(deliveredMilestones, milestones.count)
        while i < milestones.count {
            let m = milestones[i]
            if m > d { guard let at = arrival(of: m, ack: false), at <= now else { break }; d = m }
            i += 1
        }
        reported.delivered = Swift.max(reported.delivered, d)
        var a = acknowledgedBytes
        var j = 0
        while j < milestones.count {
            let m = milestones[j]
            if m > a { guard let at = arrival(of: m, ack: true), at <= now else { break }; a = m }
            j += 1
        }
        if wantsSpace, let at = arrival(of: spaceTarget, ack: true), at <= now { a = Swift.max(a, spaceTarget) }
        if ackFrozenAt == nil {
            // Acknowledged implies delivered (the fluid positions may differ in the last bits).
            reported.delivered = Swift.max(reported.delivered, Swift.min(a, acceptedBytes))
            reported.acked = Swift.max(reported.acked, Swift.min(a, reported.delivered))
        }
        a = reported.acked
        while let m = milestones.first, m <= a { _ = milestones.popFirst(); i -= 1 }
        deliveredMilestones = Swift.max(0, i)
        while segments.count > 1, segments[1].position <= Double(a) {
            _ = segments.popFirst()
            deliveryHint = Swift.max(0, deliveryHint - 1)
            ackHint = Swift.max(0, ackHint - 1)
        }
        let fireDelivered = reported.delivered > deliveryCallbacks.delivered
        let fireAcked = a > deliveryCallbacks.acked
        deliveryCallbacks = (reported.delivered, a)
        if fireDelivered { onDelivered?(reported.delivered) }
        if aborted { return }
        if fireAcked {
            onAcknowledged?(a)
            if aborted { return }
            if wantsSpace, sendBufferBytes - (acceptedBytes - a) >= spaceQuantum || acceptedBytes == a {
                wantsSpace = false
                onSpace?()
            }
        }
        if !aborted { scheduleNext() }
    }
}
