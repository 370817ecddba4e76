import DRLSimCore

/// The failure detector of a run: detector processes on the hosts of every watching site, an
/// optional witness, the database, fault injection, decisions and the `detector` table.
///
/// Install it with `DetectorDeployment.install(in:config:topology:transport:faults:)`; hook the
/// orchestration layer with `onNotified` (called when a site's DR-Orchestrator receives a
/// decision message, after its LAN delay) or `onDecision` (at the decision itself).
/// Sources: paper Section 5 and orbit-software.md section 1 (see `Detector`, `PingRound`, `Voting`).
public final class DetectorDeployment: DetectorMessageSink, EventHandler {
    /// The `detector` table of the interface contract.
    public static let table = "detector"
    /// Its columns (after `run, point, replication`).
    public static let columns = ["t_s", "detector", "event", "value"]

    /// The parameters.
    public let config: DetectorConfig
    /// The shape.
    public let topology: DetectorTopology
    /// The network the messages travel.
    public let transport: DetectorTransport
    /// Ground truth and database.
    public let landscape: DetectorLandscape
    /// Every FAILED decision, in order.
    @exclusivity(unchecked) public private(set) var decisions: [DetectorDecision] = []
    /// Every notification received by an orchestrator, in order.
    @exclusivity(unchecked) public private(set) var notifications: [DetectorNotification] = []
    /// Called at every FAILED decision.
    @exclusivity(unchecked) public var onDecision: ((DetectorDecision) -> Void)?
    /// Called when a site's DR-Orchestrator receives a decision (check `first`).
    @exclusivity(unchecked) public var onNotified: ((DetectorNotification) -> Void)?

    /// The run's simulator. Not retained: the simulator retains the deployment (it is
    /// registered as a handler), so this never dangles while events run, and no cycle forms.
    unowned(unsafe) let sim: Simulator
    let recorder: Recorder
    @exclusivity(unchecked) var processes: [Detector] = []
    @exclusivity(unchecked) var detectorCount = 0
    @exclusivity(unchecked) var watchedBySite: [Int?]
    @exclusivity(unchecked) var witnessBySite: [Int?]
    @exclusivity(unchecked) var processByHost: [DetectorEndpoint: Int] = [:]
    @exclusivity(unchecked) var bulkStreams: [RandomStream] = []
    @exclusivity(unchecked) var notifiedDecisions: Set<Int> = []
    @exclusivity(unchecked) var siteNotified: [Bool]
    /// True while bulk stretches are being flushed: no new stretch may start on the old state.
    @exclusivity(unchecked) var flushing = false
    @exclusivity(unchecked) var registeredCache: [Int: [Int]] = [:]
    /// Bumped at every change of what the database reports (an Updater read of an unchanged
    /// database returns the same lists, so it is skipped).
    @exclusivity(unchecked) var databaseVersion = 0

    /// Builds, installs and starts the detector on `context` (now), with `faults` scheduled.
    ///
    /// `transport` defaults to a `FixedDelayTransport` drawing from the stream
    /// `detector.transport`. Declares the `detector` table on `context.recorder`.
    public static func install(in context: RunContext, config: DetectorConfig = DetectorConfig(),
                               topology: DetectorTopology, transport: DetectorTransport? = nil,
                               faults: [ScheduledDetectorFault] = []) throws(DetectorError) -> DetectorDeployment {
        if let r = config.invalidReason { throw .invalidConfig(r) }
        if let r = topology.invalidReason(config: config) { throw .invalidTopology(r) }
        let tr = transport ?? FixedDelayTransport(sim: context.sim, random: context.stream("detector.transport"))
        let d = DetectorDeployment(context: context, config: config, topology: topology, transport: tr)
        for f in faults { try d.schedule(f.fault, at: f.at) }
        d.start()
        return d
    }

    init(context: RunContext, config: DetectorConfig, topology: DetectorTopology, transport: DetectorTransport) {
        self.sim = context.sim; self.recorder = context.recorder
        self.config = config; self.topology = topology; self.transport = transport
        landscape = DetectorLandscape(topology: topology)
        watchedBySite = Array(repeating: nil, count: topology.sites.count)
        witnessBySite = Array(repeating: nil, count: topology.sites.count)
        siteNotified = Array(repeating: false, count: topology.sites.count)
        for r in topology.routes { watchedBySite[r.watcher] = r.watched }
        for (s, site) in topology.sites.enumerated() where s != topology.witness?.site {
            for h in 0..<config.detectorsPerSite {
                let e = DetectorEndpoint(site: s, host: h)
                processByHost[e] = processes.count
                processes.append(Detector(index: processes.count, endpoint: e, name: "\(site.name).\(h)", isWitness: false,
                                          watched: watchedBySite[s], dep: self))
            }
        }
        detectorCount = processes.count
        if let w = topology.witness {
            let e = DetectorEndpoint(site: w.site, host: w.host)
            let watchedSites = topology.routes.map(\.watched).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
            for ws in watchedSites {
                witnessBySite[ws] = processes.count
                processes.append(Detector(index: processes.count, endpoint: e, name: "witness.\(topology.sites[ws].name)",
                                          isWitness: true, watched: ws, dep: self))
            }
        }
        for p in processes {
            p.handler = context.sim.register(p)
            bulkStreams.append(context.stream("detector.\(p.name).rounds"))
        }
        context.recorder.declare(Self.table, columns: Self.columns)
        _ = context.sim.register(self) // the simulator keeps the deployment alive (its processes and transport point back to it)
        transport.sink = self
        if let pt = transport as? PredictableDetectorTransport {
            pt.pathsWillChange = { [unowned self] in self.flushBulk() }
        }
    }

    func start() { for p in processes { p.boot() } }

    /// Registered only to be retained by the simulator; receives no events.
    public func handle(_ event: Event, in sim: Simulator) {}

    // MARK: queries

    /// Labels of the detector processes (`<site>.<n>`), then of the witness pingers.
    public var names: [String] { processes.map(\.name) }
    /// Number of detector processes (witness pingers excluded).
    public var detectors: Int { detectorCount }
    /// The index of detector `n` of site `site`.
    public func detector(site: Int, number n: Int) -> Int { processByHost[DetectorEndpoint(site: site, host: n)]! }
    /// The counts of process `index`.
    public func counters(of index: Int) -> DetectorCounters { processes[index].counters }
    /// The summed counts of the detectors of `site` (all detectors when nil; witness pingers excluded).
    public func totals(site: Int? = nil) -> DetectorCounters {
        processes[0..<detectorCount].filter { site == nil || $0.endpoint.site == site }.reduce(DetectorCounters()) { $0 + $1.counters }
    }
    /// The voters currently listed by detector `index` (as of its last Updater read).
    public func voters(of index: Int) -> [Int] { processes[index].voters }
    /// The ping targets currently listed by detector `index`.
    public func targets(of index: Int) -> [Int] { processes[index].targets }

    func watchedSite(of site: Int) -> Int? { watchedBySite[site] }
    func witnessProcess(for site: Int?) -> Int? { site.flatMap { witnessBySite[$0] } }
    func endpoint(of process: Int) -> DetectorEndpoint { processes[process].endpoint }
    func bulkStream(of process: Int) -> RandomStream { bulkStreams[process] }

    /// The database's registered detectors of `site`, in index order (cached until the landscape changes).
    func registeredDetectors(of site: Int) -> [Int] {
        if let r = registeredCache[site] { return r }
        var r: [Int] = []
        for p in processes[0..<detectorCount] where p.endpoint.site == site {
            if !landscape.siteUp[site] || landscape.hostUp[site][p.endpoint.host] { r.append(p.index) }
        }
        registeredCache[site] = r
        return r
    }

    // MARK: messages

    func send(_ m: DetectorMessage, bytes: Int) { transport.send(m, bytes: bytes) }

    /// Hands a delivered message to its process (dropped when the receiving host is down).
    public func receive(_ m: DetectorMessage, in sim: Simulator) {
        guard landscape.isUp(m.to) else { return }
        if m.receiver < 0 {
            if m.kind == .notify { orchestratorReceived(m) }
            return
        }
        let p = processes[m.receiver]
        guard p.phase != .stopped else { return }
        switch m.kind {
        case .ping:
            send(DetectorMessage(kind: .pong, from: p.endpoint, to: m.from, receiver: m.sender, sender: p.index,
                                 conversation: m.conversation, aboutSite: m.aboutSite), bytes: config.pingBytes)
        case .pong: p.pong(m)
        case .voteRequest, .witnessQuery:
            send(DetectorMessage(kind: m.kind == .voteRequest ? .voteReply : .witnessReply, from: p.endpoint, to: m.from,
                                 receiver: m.sender, sender: p.index, conversation: m.conversation, aboutSite: m.aboutSite,
                                 alive: p.opinion(at: sim.now)), bytes: config.voteBytes)
        case .voteReply: p.voteReply(m)
        case .witnessReply: p.witnessReply(m)
        case .notifyAck: p.notifyAcked(m)
        case .notify: break
        }
    }

    func orchestratorReceived(_ m: DetectorMessage) {
        send(DetectorMessage(kind: .notifyAck, from: m.to, to: m.from, receiver: m.sender, sender: -1,
                             conversation: m.conversation, aboutSite: m.aboutSite), bytes: config.notifyBytes)
        let id = Int(m.conversation)
        guard notifiedDecisions.insert(id).inserted else { return }
        let d = decisions[id]
        let first = !siteNotified[d.site]
        siteNotified[d.site] = true
        let n = DetectorNotification(decision: d, at: sim.now, first: first)
        notifications.append(n)
        let p = processes[m.sender]
        emit(p, .notified, (sim.now - (d.disasterAt ?? d.at)).seconds)
        emit(p, .notificationDelay, (sim.now - d.at).seconds)
        onNotified?(n)
    }

    func recordDecision(by p: Detector, site: Int, undecided: Int) -> DetectorDecision {
        let down = !landscape.siteUp[site]
        let d = DetectorDecision(id: decisions.count, detector: p.name, watcherSite: p.endpoint.site, site: site, at: sim.now,
                                 disasterAt: down ? landscape.disasterAt[site] : nil, undecidedVotings: undecided)
        decisions.append(d)
        landscape.operating[site] = false
        databaseVersion += 1
        if let delay = d.detectionDelay { emit(p, .detectionDelay, delay.seconds) } else { emit(p, .falseFailover, 1) }
        emit(p, .undecidedVotings, Double(undecided))
        onDecision?(d)
        return d
    }

    func emit(_ p: Detector, _ e: DetectorEvent, _ value: Double) {
        recorder.emit(Self.table, [.double(sim.now.seconds), .text(p.name), .text(e.rawValue), .double(value)])
    }

    // MARK: faults

    /// Schedules `fault` at `at` (faults run before any other event of the same instant).
    public func schedule(_ fault: DetectorFault, at: SimInstant) throws(DetectorError) {
        try check(fault)
        sim.schedule(at: at, priority: -1) { [unowned self] _ in try? self.apply(fault) }
    }

    func check(_ fault: DetectorFault) throws(DetectorError) {
        switch fault {
        case .wanBlocked, .wanDirectionBlocked, .pathLoss, .partition:
            guard let pf = transport as? DetectorPathFaults, pf.canApply(fault) else {
                throw .unsupportedFault("\(fault): the transport cannot apply this path fault")
            }
        default: break
        }
    }

    /// Applies `fault` now.
    public func apply(_ fault: DetectorFault) throws(DetectorError) {
        try check(fault)
        flushBulk()
        registeredCache.removeAll()
        databaseVersion += 1
        let pf = transport as? DetectorPathFaults
        switch fault {
        case .siteDown(let s):
            if landscape.siteUp[s] { landscape.disasterAt[s] = sim.now }
            landscape.siteUp[s] = false
            for p in processes where p.endpoint.site == s { p.kill() }
        case .siteUp(let s):
            guard !landscape.siteUp[s] else { return }
            landscape.siteUp[s] = true
            landscape.disasterAt[s] = nil
            for p in processes where p.endpoint.site == s && landscape.isUp(p.endpoint) { p.boot() }
        case .hostDown(let s, let h):
            landscape.hostUp[s][h] = false
            for p in processes where p.endpoint == DetectorEndpoint(site: s, host: h) { p.kill() }
        case .hostUp(let s, let h):
            guard !landscape.hostUp[s][h] else { return }
            landscape.hostUp[s][h] = true
            for p in processes where p.endpoint == DetectorEndpoint(site: s, host: h) && landscape.isUp(p.endpoint) { p.boot() }
        case .wanBlocked(let a, let b, let blocked):
            pf?.setBlocked(from: a, to: b, blocked); pf?.setBlocked(from: b, to: a, blocked)
        case .wanDirectionBlocked(let a, let b, let blocked):
            pf?.setBlocked(from: a, to: b, blocked)
        case .pathLoss(let a, let b, let p):
            pf?.setLoss(from: a, to: b, p)
        case .partition(let s, let hosts, let remote, let cut):
            for h in hosts { pf?.setCut(site: s, host: h, from: remote, cut) }
        case .markOperating(let s):
            landscape.operating[s] = true
            siteNotified[s] = false
        }
    }

    /// Turns every bulk-simulated stretch of rounds into ordinary messages at `now` (called
    /// before any change of the world).
    public func flushBulk() {
        flushing = true
        for p in processes where p.phase == .bulk { p.materializeBulk(at: sim.now) }
        flushing = false
    }

    /// Ends the run's detector accounting: counts rounds in progress in bulk stretches and
    /// emits one summary row per counter and detector (events `rounds`, `dead_rounds`,
    /// `external_false_positives`, `internal_false_positives`, `retried_rounds`,
    /// `retries_until_up` (mean), `votings`, `false_failovers`).
    public func finish() {
        flushBulk()
        for p in processes[0..<detectorCount] {
            let c = p.counters
            emit(p, .rounds, Double(c.rounds))
            emit(p, .deadRounds, Double(c.deadRounds))
            emit(p, .externalFalsePositives, Double(c.externalFalsePositives))
            emit(p, .internalFalsePositives, Double(c.internalFalsePositives))
            emit(p, .retriedRounds, Double(c.retriedRounds))
            emit(p, .retriesUntilUp, c.meanRetriesUntilUp)
            emit(p, .votings, Double(c.votings))
            emit(p, .falseFailovers, Double(c.falseFailovers))
        }
    }
}
