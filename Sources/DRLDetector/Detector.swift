import DRLSimCore

/// One detector process (pinger + voter + updater of orbit-dc-protector) on one host: the thin
/// driver around the `PingRound` and `Voting` state machines.
///
/// Cycle (orbit-software.md section 1): ping round -> alive: next round (after
/// `pingInterval`) | dead: voting -> FAILED: (witness check) -> decide, notify, park |
/// ALIVE: internal false positive, re-ping | undecided: re-ping (or re-vote up to
/// `maxVotingAttempts`). The Updater re-reads the database every `updateInterval`; the
/// ping-target and voter lists are only as fresh as its last read. A witness process is a
/// `Detector` that only pings and keeps its opinion for the witness queries.
final class Detector: EventHandler {
    enum Phase: Equatable { case stopped, idle, pinging, bulk, voting, witness, parked }
    enum Code: Int32 { case roundTimeout = 1, bulkEnd, startRound, votingTimeout, witnessTimeout, updater, notifyRetry }

    let index: Int
    let endpoint: DetectorEndpoint
    let name: String
    let isWitness: Bool
    unowned(unsafe) let dep: DetectorDeployment  // the deployment owns its detectors
    let config: DetectorConfig
    unowned(unsafe) let sim: Simulator  // the simulator retains this process
    @exclusivity(unchecked) var handler = HandlerID(raw: -1)

    // lists (from the last Updater read)
    @exclusivity(unchecked) var watched: Int?
    @exclusivity(unchecked) var targets: [Int] = []
    @exclusivity(unchecked) var voters: [Int] = []
    @exclusivity(unchecked) var watchEnabled = true

    // state
    @exclusivity(unchecked) var phase: Phase = .stopped
    @exclusivity(unchecked) var round: PingRound?
    @exclusivity(unchecked) var voting: Voting?
    @exclusivity(unchecked) var votingAttempts = 0
    @exclusivity(unchecked) var undecidedInSuspicion = 0
    @exclusivity(unchecked) var cachedAlive = true
    @exclusivity(unchecked) var bulk: BulkRounds?
    @exclusivity(unchecked) var bulkTable: BulkOutcomeTable?
    @exclusivity(unchecked) var nextRoundID: Int64 = 0
    @exclusivity(unchecked) var nextVotingID: Int64 = 0
    @exclusivity(unchecked) var mainToken: Int64 = 0
    @exclusivity(unchecked) var updaterToken: Int64 = 0
    @exclusivity(unchecked) var notifyToken: Int64 = 0
    @exclusivity(unchecked) var pendingNotify: DetectorDecision?
    @exclusivity(unchecked) var counters = DetectorCounters()
    @exclusivity(unchecked) var readVersion = -1

    init(index: Int, endpoint: DetectorEndpoint, name: String, isWitness: Bool, watched: Int?, dep: DetectorDeployment) {
        self.index = index; self.endpoint = endpoint; self.name = name; self.isWitness = isWitness
        self.watched = watched; self.dep = dep
        config = dep.config
        sim = dep.sim
    }


    // MARK: life cycle

    /// The process starts (host up): first database read, Updater timer, first round.
    func boot() {
        phase = .idle
        readVersion = -1
        undecidedInSuspicion = 0
        votingAttempts = 0
        cachedAlive = true
        refreshLists()
        if let u = config.updateInterval {
            updaterToken += 1
            sim.schedule(after: u, handler: handler, code: Code.updater.rawValue, argument: updaterToken)
        }
        startRound()
    }

    /// The host went down: everything stops.
    func kill() {
        phase = .stopped
        round = nil; voting = nil; bulk = nil; pendingNotify = nil
        mainToken += 1; updaterToken += 1; notifyToken += 1
    }

    func refreshLists() {
        if readVersion == dep.databaseVersion { return }
        readVersion = dep.databaseVersion
        if !isWitness { watched = dep.watchedSite(of: endpoint.site) }
        guard let w = watched else { targets = []; voters = []; return }
        targets = dep.registeredDetectors(of: w)
        voters = []
        if !isWitness { for v in dep.registeredDetectors(of: endpoint.site) where v != index { voters.append(v) } }
        watchEnabled = isWitness || dep.landscape.operating[w]
    }

    /// The opinion a vote request or witness query gets: the cached result of the last round.
    func opinion(at now: SimInstant) -> Bool {
        if phase == .bulk, let b = bulk { return now >= b.firstRoundEnd ? true : b.opinionBefore }
        return cachedAlive
    }

    // MARK: events

    func handle(_ event: Event, in sim: Simulator) {
        guard let code = Code(rawValue: event.code) else { return }
        switch code {
        case .updater:
            guard event.argument == updaterToken, phase != .stopped else { return }
            updaterTick()
        case .notifyRetry:
            guard event.argument == notifyToken, phase != .stopped, let d = pendingNotify else { return }
            sendNotify(d)
        default:
            guard event.argument == mainToken, phase != .stopped else { return }
            switch code {
            case .roundTimeout: if round != nil { let a = round!.timeout(); apply(a) }
            case .bulkEnd: bulkEnded()
            case .startRound: startRound()
            case .votingTimeout: if voting != nil { let a = voting!.timeout(); apply(a) }
            case .witnessTimeout: witnessAnswered(alive: nil)
            default: break
            }
        }
    }

    func arm(_ code: Code, at t: SimInstant) {
        mainToken += 1
        sim.schedule(at: t, priority: 1, handler: handler, code: code.rawValue, argument: mainToken)
    }

    func updaterTick() {
        let oldTargets = targets
        refreshLists()
        if phase == .bulk && (targets != oldTargets || !watchEnabled) { materializeBulk(at: sim.now) }
        if phase == .parked && watchEnabled { startRound() }
        if let u = config.updateInterval {
            sim.schedule(after: u, handler: handler, code: Code.updater.rawValue, argument: updaterToken)
        }
    }

    // MARK: ping rounds

    func startRound() {
        guard phase != .stopped else { return }
        round = nil; voting = nil
        guard let w = watched, watchEnabled else { phase = .parked; mainToken += 1; return }
        if config.fastRounds, startBulk(watched: w) { return }
        phase = .pinging
        nextRoundID += 1
        var r = PingRound(id: nextRoundID, start: sim.now, targets: targets, retries: config.pingRetries, timeout: config.pingTimeout)
        let a = r.begin()
        round = r
        apply(a)
    }

    /// Sends a `kind` message about the watched site to each detector in `peers` (a ping round's
    /// targets or a voting's voters).
    func send(_ kind: DetectorMessage.Kind, to peers: [Int], conversation: Int64, bytes: Int) {
        guard let w = watched else { return }
        for t in peers {
            dep.send(DetectorMessage(kind: kind, from: endpoint, to: dep.endpoint(of: t), receiver: t, sender: index,
                                     conversation: conversation, aboutSite: w), bytes: bytes)
        }
    }

    func apply(_ actions: [PingRound.Action]) {
        for a in actions {
            switch a {
            case .ping(let positions):
                guard let r = round, watched != nil else { return }
                send(.ping, to: positions.map { r.targets[$0] }, conversation: r.id, bytes: config.pingBytes)
            case .scheduleTimeout(let t): arm(.roundTimeout, at: t)
            case .finished(let alive):
                guard let r = round else { return }
                counters.recordRounds(1, alive: alive, firstAnswer: r.firstAnswerAttempt ?? 0, answeredRetries: r.answeredRetries)
                round = nil
                roundFinished(alive: alive, start: r.start)
            }
        }
    }

    func roundFinished(alive: Bool, start: SimInstant) {
        cachedAlive = alive
        if alive || isWitness {
            if config.pingInterval > .zero && alive { phase = .idle; arm(.startRound, at: sim.now + config.pingInterval) }
            else { startRound() }
            return
        }
        dep.emit(self, .suspected, (sim.now - start).seconds)
        votingAttempts = 0
        startVoting()
    }

    func pong(_ m: DetectorMessage) {
        guard phase == .pinging, round?.id == m.conversation,
              let p = round?.targets.firstIndex(of: m.sender) else { return } // a stale PONG is ignored
        let a = round!.pong(from: p)
        apply(a)
    }

    // MARK: voting

    func startVoting() {
        guard watched != nil else { return }
        phase = .voting
        votingAttempts += 1
        counters.votings += 1
        nextVotingID += 1
        var v = Voting(id: nextVotingID, voters: voters, threshold: config.votingThreshold, timeout: config.votingTimeout)
        let a = v.begin(at: sim.now)
        voting = v
        apply(a)
    }

    func apply(_ actions: [Voting.Action]) {
        for a in actions {
            switch a {
            case .request(let positions):
                guard let v = voting, watched != nil else { return }
                send(.voteRequest, to: positions.map { v.voters[$0] }, conversation: v.id, bytes: config.voteBytes)
            case .scheduleTimeout(let t): arm(.votingTimeout, at: t)
            case .decided(let o):
                voting = nil
                votingDecided(o)
            }
        }
    }

    func voteReply(_ m: DetectorMessage) {
        guard phase == .voting, voting?.id == m.conversation, let p = voting?.voters.firstIndex(of: m.sender) else { return }
        let a = voting!.reply(from: p, alive: m.alive)
        apply(a)
    }

    func votingDecided(_ o: VotingOutcome) {
        switch o {
        case .failed:
            if dep.witnessProcess(for: watched) != nil { askWitness() } else { decide() }
        case .alive:
            counters.internalFalsePositives += 1
            dep.emit(self, .internalFalsePositive, 1)
            undecidedInSuspicion = 0
            phase = .idle
            startRound()
        case .undecided:
            counters.undecidedVotings += 1
            undecidedInSuspicion += 1
            dep.emit(self, .undecidedVoting, Double(undecidedInSuspicion))
            if let m = config.maxVotingAttempts, votingAttempts < m { startVoting() } else { phase = .idle; startRound() }
        }
    }

    // MARK: witness (beyond the paper)

    func askWitness() {
        guard let w = watched, let wi = dep.witnessProcess(for: w) else { return }
        phase = .witness
        nextVotingID += 1
        dep.send(DetectorMessage(kind: .witnessQuery, from: endpoint, to: dep.endpoint(of: wi), receiver: wi, sender: index,
                                 conversation: nextVotingID, aboutSite: w), bytes: config.voteBytes)
        arm(.witnessTimeout, at: sim.now + config.votingTimeout)
    }

    func witnessReply(_ m: DetectorMessage) {
        guard phase == .witness, m.conversation == nextVotingID else { return }
        witnessAnswered(alive: m.alive)
    }

    /// The witness rule: fail over only when the witness answers that it sees the site down.
    func witnessAnswered(alive: Bool?) {
        if alive == false { decide(); return }
        counters.witnessVetoes += 1
        dep.emit(self, .witnessVeto, alive == true ? 1 : 0)
        phase = .idle
        startRound()
    }

    // MARK: decision

    func decide() {
        guard let w = watched else { return }
        counters.decisions += 1
        let d = dep.recordDecision(by: self, site: w, undecided: undecidedInSuspicion)
        if d.falseFailover { counters.falseFailovers += 1 }
        undecidedInSuspicion = 0
        phase = .parked
        mainToken += 1
        pendingNotify = d
        sendNotify(d)
    }

    func sendNotify(_ d: DetectorDecision) {
        let orch = DetectorEndpoint(site: endpoint.site, host: dep.topology.sites[endpoint.site].orchestratorHost)
        dep.send(DetectorMessage(kind: .notify, from: endpoint, to: orch, receiver: -1, sender: index,
                                 conversation: Int64(d.id), aboutSite: d.site), bytes: config.notifyBytes)
        notifyToken += 1
        sim.schedule(after: config.notifyRetry, handler: handler, code: Code.notifyRetry.rawValue, argument: notifyToken)
    }

    func notifyAcked(_ m: DetectorMessage) {
        guard let d = pendingNotify, Int64(d.id) == m.conversation else { return }
        pendingNotify = nil
        notifyToken += 1
    }
}
