import DRLSimCore
import Foundation

/// A stretch of ping rounds simulated in one step (`DetectorConfig.fastRounds`).
///
/// Valid while nothing changes: the transport is a `PredictableDetectorTransport` (fixed
/// delays, independent losses), every path's round trip is shorter than `pingTimeout` (so a
/// PONG always arrives before the next resend) and no fault happens; any change first
/// *materializes* the round in progress into ordinary messages (`materializeBulk`).
///
/// Exact in distribution: target i answers a send with probability s_i = (1 - loss fwd)(1 -
/// loss back) (0 when its host is down or a path is blocked), independently per send, so the
/// send that first gets through is geometric and truncated at `pingRetries`. A "clean" round
/// (every target answers the first send, probability P = prod s_i) lasts max rtt_i; the number
/// of clean rounds before the next other round is geometric with parameter 1 - P; the other
/// round is drawn conditioned on not being clean. Geometric waiting is memoryless, so cutting a
/// stretch at `fastChunk` or at a change and drawing afresh does not bias anything.
struct BulkRounds {
    /// One round that was not clean.
    struct Special {
        var start: SimInstant
        var end: SimInstant
        /// Per target: the 0-based send that got through, or -1.
        var firstSuccess: [Int]
        var alive: Bool
        var firstAnswer: Int
        var answeredRetries: Int
    }
    /// `cleanCount` clean rounds from `cleanStart`, then optionally one special round.
    struct Segment {
        var cleanStart: SimInstant
        var cleanCount: Int
        var special: Special?
    }

    var targets: [Int]
    var forward: [SimDuration]
    var rtt: [SimDuration]
    var cleanLength: SimDuration
    var gap: SimDuration
    var segments: [Segment] = []
    var end: SimInstant = .zero
    var lastAlive = true
    var firstRoundEnd: SimInstant = .zero
    var opinionBefore = true
    var roundsCounted = false
}

extension Detector {
    /// Starts a bulk stretch at `now` if the conditions hold; false = ping message by message.
    func startBulk(watched w: Int) -> Bool {
        guard !dep.flushing, let tr = dep.transport as? PredictableDetectorTransport, !targets.isEmpty else { return false }
        var success: [Double] = [], forward: [SimDuration] = [], rtt: [SimDuration] = []
        for t in targets {
            let te = dep.endpoint(of: t)
            let f = tr.path(from: endpoint, to: te), b = tr.path(from: te, to: endpoint)
            if f.delay + b.delay >= config.pingTimeout { return false }
            let up = dep.landscape.isUp(te) && !f.blocked && !b.blocked
            success.append(up ? (1 - f.loss) * (1 - b.loss) : 0)
            forward.append(f.delay); rtt.append(f.delay + b.delay)
        }
        let random = dep.bulkStream(of: index)
        let now = sim.now
        var b = BulkRounds(targets: targets, forward: forward, rtt: rtt, cleanLength: rtt.max()!, gap: config.pingInterval)
        b.opinionBefore = cachedAlive
        let pClean = success.reduce(1, *)
        let horizon = now + config.fastChunk
        let period = b.cleanLength + b.gap
        let R = config.pingRetries, T = config.pingTimeout
        var t = now
        var lastEnd = now
        var first: SimInstant?
        while true {
            // clean rounds before the next special one
            let fit = t < horizon ? Int((horizon - t).nanoseconds + period.nanoseconds - 1) / Int(period.nanoseconds) : 0
            var clean: Int
            if pClean >= 1 { clean = Int.max }
            else if pClean <= 0 { clean = 0 }
            else {
                let l = (log(random.uniformPositive()) / log(pClean)).rounded(.down)
                clean = l >= Double(Int.max / 2) ? Int.max : Int(l)
            }
            if clean >= fit {
                if fit > 0 {
                    b.segments.append(.init(cleanStart: t, cleanCount: fit, special: nil))
                    if first == nil { first = t + b.cleanLength }
                    lastEnd = t + period * Int64(fit - 1) + b.cleanLength
                }
                b.lastAlive = true
                break
            }
            let sStart = t + period * Int64(clean)
            if clean > 0, first == nil { first = t + b.cleanLength }
            // the special round, conditioned on not clean
            var ks = [Int](repeating: -1, count: success.count)
            var conditioned = true
            for i in success.indices {
                let s = success[i]
                var startAttempt = 0
                if conditioned {
                    let rest = success[(i + 1)...].reduce(1, *)
                    let p0 = s * (1 - rest) / (1 - s * rest)
                    if random.uniform() < p0 { ks[i] = 0; continue }
                    conditioned = false
                    startAttempt = 1
                }
                var k = startAttempt
                while k < R { if random.uniform() < s { ks[i] = k; break }; k += 1 }
            }
            var alive = false, allAnswered = true, firstAnswer = Int.max, answeredRetries = 0
            var sEnd = sStart
            for i in ks.indices {
                if ks[i] < 0 { allAnswered = false; continue }
                alive = true
                firstAnswer = min(firstAnswer, ks[i])
                if ks[i] > 0 { answeredRetries += 1 }
                sEnd = max(sEnd, sStart + T * Int64(ks[i]) + rtt[i])
            }
            if !allAnswered { sEnd = sStart + T * Int64(R) }
            let sp = BulkRounds.Special(start: sStart, end: sEnd, firstSuccess: ks, alive: alive,
                                        firstAnswer: alive ? firstAnswer : 0, answeredRetries: answeredRetries)
            b.segments.append(.init(cleanStart: t, cleanCount: clean, special: sp))
            if first == nil { first = sEnd }
            lastEnd = sEnd
            b.lastAlive = alive
            if !alive { break }
            t = sEnd + b.gap
            if t >= horizon { break }
        }
        b.end = lastEnd
        b.firstRoundEnd = first ?? lastEnd
        bulk = b
        phase = .bulk
        arm(.bulkEnd, at: lastEnd)
        return true
    }

    /// The stretch ended: count its rounds and go on as after its last round.
    func bulkEnded() {
        guard let b = bulk else { return }
        countBulk(b, until: nil)
        bulk = nil
        phase = .idle
        let lastStart: SimInstant = b.segments.last.map { s in s.special?.start ?? (s.cleanStart + (b.cleanLength + b.gap) * Int64(s.cleanCount - 1)) } ?? sim.now
        roundFinished(alive: b.lastAlive, start: lastStart)
    }

    /// Adds the rounds of `b` that ended no later than `until` (all when nil) to the counters.
    func countBulk(_ b: BulkRounds, until: SimInstant?) {
        let period = b.cleanLength + b.gap
        for s in b.segments {
            var n = s.cleanCount
            if let u = until {
                // clean round j ends at cleanStart + j*period + cleanLength
                if u < s.cleanStart + b.cleanLength { n = 0 }
                else { n = min(n, Int((u - s.cleanStart - b.cleanLength).nanoseconds / period.nanoseconds) + 1) }
            }
            counters.recordRounds(n, alive: true, firstAnswer: 0, answeredRetries: 0)
            if let sp = s.special, until.map({ sp.end <= $0 }) ?? true {
                counters.recordRounds(1, alive: sp.alive, firstAnswer: sp.firstAnswer, answeredRetries: sp.answeredRetries)
            }
        }
    }

    /// Turns the stretch into what the message-by-message detector would be doing at `t`: the
    /// rounds ended before `t` are counted, the round in progress continues with its PINGs and
    /// PONGs in flight (injected into the transport) and its next timeout armed.
    func materializeBulk(at t: SimInstant) {
        guard phase == .bulk, let b = bulk, let w = watched, let tr = dep.transport as? PredictableDetectorTransport else { return }
        if t >= b.end { bulkEnded(); return }
        countBulk(b, until: t)
        bulk = nil
        let period = b.cleanLength + b.gap
        // find the round in progress (start < t < end) or the start of the next round
        var current: (start: SimInstant, ks: [Int])?
        var nextStart: SimInstant?
        var anyEnded = false
        for s in b.segments {
            if s.cleanCount > 0 {
                if t <= s.cleanStart { nextStart = s.cleanStart; break }
                let j = Int((t - s.cleanStart).nanoseconds / period.nanoseconds)
                if j < s.cleanCount {
                    let st = s.cleanStart + period * Int64(j)
                    if j > 0 { anyEnded = true }
                    if t == st { nextStart = st }
                    else if t < st + b.cleanLength { current = (st, Array(repeating: 0, count: b.targets.count)) }
                    else { anyEnded = true; nextStart = st + period }
                    break
                }
                anyEnded = true
            }
            if let sp = s.special {
                if t <= sp.start { nextStart = sp.start; break }
                if t < sp.end { current = (sp.start, sp.firstSuccess); break }
                anyEnded = true
                if t < sp.end + b.gap { nextStart = sp.end + b.gap; break }
            }
        }
        cachedAlive = anyEnded ? true : b.opinionBefore
        guard let cur = current else {
            phase = .idle
            arm(.startRound, at: max(t, nextStart ?? t))
            return
        }
        let R = config.pingRetries, T = config.pingTimeout
        let m = min(R, Int(((t - cur.start).nanoseconds + T.nanoseconds - 1) / T.nanoseconds))
        var answered = [Bool](repeating: false, count: b.targets.count)
        var firstAnswer: Int?
        var answeredRetries = 0
        nextRoundID += 1
        let id = nextRoundID
        for i in b.targets.indices {
            let k = cur.ks[i]
            guard k >= 0, k < m else { continue }
            let sent = cur.start + T * Int64(k)
            let atTarget = sent + b.forward[i]
            let back = sent + b.rtt[i]
            let te = dep.endpoint(of: b.targets[i])
            if atTarget >= t {
                tr.inject(DetectorMessage(kind: .ping, from: endpoint, to: te, receiver: b.targets[i], sender: index,
                                          conversation: id, aboutSite: w), sentAt: sent, arrival: atTarget)
            } else if back >= t {
                tr.inject(DetectorMessage(kind: .pong, from: te, to: endpoint, receiver: index, sender: b.targets[i],
                                          conversation: id, aboutSite: w), sentAt: atTarget, arrival: back)
            } else {
                answered[i] = true
                firstAnswer = min(firstAnswer ?? k, k)
                if k > 0 { answeredRetries += 1 }
            }
        }
        round = PingRound(id: id, start: cur.start, targets: b.targets, retries: R, timeout: T,
                          answered: answered, attempts: m, firstAnswerAttempt: firstAnswer, answeredRetries: answeredRetries)
        phase = .pinging
        arm(.roundTimeout, at: cur.start + T * Int64(m))
    }
}
