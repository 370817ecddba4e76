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
    /// One round that was not clean: its start and its outcome (an index into the table).
    struct Special {
        var start: SimInstant
        var end: SimInstant
        var outcome: Int32
    }
    /// `cleanCount` clean rounds from `cleanStart`, then optionally one special round.
    struct Segment {
        var cleanStart: SimInstant
        var cleanCount: Int
        var special: Special?
    }

    var targets: [Int]
    var table: BulkOutcomeTable
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
        let R = config.pingRetries, T = config.pingTimeout
        let key = BulkOutcomeTable.Key(success: success, rtt: rtt, retries: R, timeout: T)
        if bulkTable?.key != key {
            guard let table = BulkOutcomeTable(key) else { return false }
            bulkTable = table
        }
        let table = bulkTable!
        let random = dep.bulkStream(of: index)
        let now = sim.now
        var b = BulkRounds(targets: targets, table: table, forward: forward, rtt: rtt, cleanLength: table.cleanLength, gap: config.pingInterval)
        b.opinionBefore = cachedAlive
        let pClean = table.pClean
        let logClean = pClean > 0 && pClean < 1 ? log(pClean) : 0
        // the hot loop works on raw nanoseconds and buffer pointers (it runs once per
        // non-clean round, millions of times per simulated day)
        let horizon = now.nanoseconds + config.fastChunk.nanoseconds
        let cleanLen = b.cleanLength.nanoseconds, gap = b.gap.nanoseconds
        let period = cleanLen + gap
        var t = now.nanoseconds
        var lastEnd = now.nanoseconds
        var first: Int64 = -1
        var lastAlive = true
        var segments: [BulkRounds.Segment] = []
        segments.reserveCapacity(64)
        table.cumulative.withUnsafeBufferPointer { cum in
        table.durationNanos.withUnsafeBufferPointer { dur in
        table.alive.withUnsafeBufferPointer { alv in
            while true {
                let fit: Int64 = t < horizon ? (horizon - t + period - 1) / period : 0
                var clean: Int64
                if pClean >= 1 { clean = Int64.max }
                else if pClean <= 0 { clean = 0 }
                else {
                    let l = (log(random.uniformPositive()) / logClean).rounded(.down)
                    clean = l >= 4e18 ? Int64.max : Int64(l)
                }
                if clean >= fit {
                    if fit > 0 {
                        segments.append(.init(cleanStart: SimInstant(nanoseconds: t), cleanCount: Int(fit), special: nil))
                        if first < 0 { first = t + cleanLen }
                        lastEnd = t + period * (fit - 1) + cleanLen
                    }
                    lastAlive = true
                    break
                }
                let sStart = t + period * clean
                if clean > 0, first < 0 { first = t + cleanLen }
                // the outcome: binary search of the cumulative conditional probabilities
                let u = random.uniform()
                var lo = 0, hi = cum.count - 1
                while lo < hi { let mid = (lo + hi) >> 1; if cum[mid] > u { hi = mid } else { lo = mid + 1 } }
                let sEnd = sStart + dur[lo]
                segments.append(.init(cleanStart: SimInstant(nanoseconds: t), cleanCount: Int(clean),
                                      special: .init(start: SimInstant(nanoseconds: sStart), end: SimInstant(nanoseconds: sEnd), outcome: Int32(lo))))
                if first < 0 { first = sEnd }
                lastEnd = sEnd
                lastAlive = alv[lo]
                if !lastAlive { break }
                t = sEnd + gap
                if t >= horizon { break }
            }
        }}}
        b.segments = segments
        b.lastAlive = lastAlive
        let lastEndInstant = SimInstant(nanoseconds: lastEnd)
        b.end = lastEndInstant
        b.firstRoundEnd = first < 0 ? lastEndInstant : SimInstant(nanoseconds: first)
        bulk = b
        phase = .bulk
        arm(.bulkEnd, at: lastEndInstant)
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
        let alive = b.table.alive, firstAnswer = b.table.firstAnswer, retried = b.table.answeredRetries
        var c = counters
        for s in b.segments {
            var n = s.cleanCount
            if let u = until {
                // clean round j ends at cleanStart + j*period + cleanLength
                if u < s.cleanStart + b.cleanLength { n = 0 }
                else { n = min(n, Int((u - s.cleanStart - b.cleanLength).nanoseconds / period.nanoseconds) + 1) }
            }
            c.recordRounds(n, alive: true, firstAnswer: 0, answeredRetries: 0)
            if let sp = s.special, until.map({ sp.end <= $0 }) ?? true {
                let o = Int(sp.outcome)
                c.recordRounds(1, alive: alive[o], firstAnswer: Int(firstAnswer[o]), answeredRetries: Int(retried[o]))
            }
        }
        counters = c
    }

    /// Turns the stretch into what the message-by-message detector would be doing at `t`: the
    /// rounds ended before `t` are counted, the round in progress continues with its PINGs and
    /// PONGs in flight (injected into the transport) and its next timeout armed. Sends after
    /// `t` are drawn afresh (memoryless). One approximation: a PING in flight at `t` that was
    /// drawn to succeed gets its PONG's loss drawn again when it arrives (at most one extra
    /// loss draw per target, once per fault; none without random loss, where both engines
    /// agree exactly).
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
                if t < sp.end { current = (sp.start, b.table.firstSuccess(Int(sp.outcome))); break }
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

/// The outcomes of a round that is not clean, with their probabilities, for one set of
/// targets: per target the send that first gets through (0 ..< retries) or none, each
/// independently truncated-geometric with the target's per-send success; the all-first-send
/// outcome (a clean round) excluded and the rest renormalised. Built once per path state.
struct BulkOutcomeTable {
    struct Key: Equatable {
        var success: [Double]
        var rtt: [SimDuration]
        var retries: Int
        var timeout: SimDuration
    }
    let key: Key
    /// Probability of a clean round.
    let pClean: Double
    /// Length of a clean round: the longest round trip.
    let cleanLength: SimDuration
    /// Cumulative conditional probabilities of the outcomes.
    var cumulative: [Double] = []
    /// Per outcome: the first successful send of each target, base retries + 1 digits (retries = none).
    var code: [Int] = []
    var duration: [SimDuration] = []
    var durationNanos: [Int64] = []
    var alive: [Bool] = []
    var firstAnswer: [Int8] = []
    var answeredRetries: [Int8] = []

    /// Nil when the table would be too large ((retries + 1)^targets > 4096).
    init?(_ key: Key) {
        self.key = key
        let n = key.success.count, R = key.retries, base = R + 1
        var combos = 1
        for _ in 0..<n { combos *= base; if combos > 4096 { return nil } }
        pClean = key.success.reduce(1, *)
        cleanLength = key.rtt.max() ?? .zero
        var total = 0.0
        for c in 1..<combos { // c = 0 is the clean round
            var p = 1.0, rest = c, allAnswered = true, anyAnswered = false, first = Int.max, retried = 0
            var end = SimDuration.zero
            for i in 0..<n {
                let k = rest % base; rest /= base
                let q = 1 - key.success[i]
                var pk = 1.0
                for _ in 0..<k { pk *= q }
                if k < R { pk *= key.success[i] }
                p *= pk
                if k == R { allAnswered = false; continue }
                anyAnswered = true
                first = min(first, k)
                if k > 0 { retried += 1 }
                end = max(end, key.timeout * Int64(k) + key.rtt[i])
            }
            if p <= 0 { continue }
            total += p
            cumulative.append(total); code.append(c)
            duration.append(allAnswered ? end : key.timeout * Int64(R))
            durationNanos.append(duration.last!.nanoseconds)
            alive.append(anyAnswered)
            firstAnswer.append(Int8(anyAnswered ? first : 0)); answeredRetries.append(Int8(retried))
        }
        if total > 0 { for j in cumulative.indices { cumulative[j] /= total } }
    }

    /// The outcome for a uniform draw u in [0, 1) (binary search of the cumulative table).
    func draw(_ u: Double) -> Int {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Per target: the first successful send of outcome `o`, or -1.
    func firstSuccess(_ o: Int) -> [Int] {
        let base = key.retries + 1
        var rest = code[o]
        return key.success.indices.map { _ in let k = rest % base; rest /= base; return k == key.retries ? -1 : k }
    }
}
