/// A site as the detector sees it: a name, a number of hosts and where its orchestrator runs.
public struct DetectorSite: Sendable, Hashable {
    /// The site's name (used in detector labels, e.g. `lulea.0`).
    public var name: String
    /// Hosts of the site; detectors run on hosts 0 ..< detectorsPerSite.
    public var hosts: Int
    /// The host of the site's DR-Orchestrator (the controller; host 0 by default).
    public var orchestratorHost: Int
    /// A site `name` with `hosts` hosts.
    public init(name: String, hosts: Int, orchestratorHost: Int = 0) {
        self.name = name; self.hosts = hosts; self.orchestratorHost = orchestratorHost
    }
}

/// Which site watches which (orbit-dc-protector's routing table S -> D).
public struct DetectorRoute: Sendable, Hashable {
    /// The site whose detectors ping.
    public var watcher: Int
    /// The site they watch.
    public var watched: Int
    /// `watcher` watches `watched`.
    public init(watcher: Int, watched: Int) { self.watcher = watcher; self.watched = watched }
}

/// Where the optional witness runs (beyond the paper: a third site both sites reach, as
/// SecondSite's quorum server did; paper Section 2, ref. [12]).
public struct DetectorWitness: Sendable, Hashable {
    /// The witness site (a site of the topology that runs no detectors).
    public var site: Int
    /// The witness's host.
    public var host: Int
    /// A witness on `host` of `site`.
    public init(site: Int, host: Int = 0) { self.site = site; self.host = host }
}

/// The deployment's shape: sites, the routing table and the optional witness.
public struct DetectorTopology: Sendable, Hashable {
    /// The sites, indexed from 0.
    public var sites: [DetectorSite]
    /// Each watcher site's watched site.
    public var routes: [DetectorRoute]
    /// The witness, if any: with one, a FAILED vote leads to failover only when the witness
    /// answers that it too sees the watched site down.
    public var witness: DetectorWitness?

    /// A topology.
    public init(sites: [DetectorSite], routes: [DetectorRoute], witness: DetectorWitness? = nil) {
        self.sites = sites; self.routes = routes; self.witness = witness
    }

    /// The paper's two sites watching each other (primary 0 = Umea with 6 hosts, backup 1 =
    /// Lulea with 3 hosts: paper Section 6), optionally with a witness site 2.
    public static func primaryBackup(primaryHosts: Int = 6, backupHosts: Int = 3, witness: Bool = false) -> DetectorTopology {
        var sites = [DetectorSite(name: "umea", hosts: primaryHosts), DetectorSite(name: "lulea", hosts: backupHosts)]
        if witness { sites.append(DetectorSite(name: "witness", hosts: 1)) }
        return DetectorTopology(sites: sites,
                                routes: [DetectorRoute(watcher: 1, watched: 0), DetectorRoute(watcher: 0, watched: 1)],
                                witness: witness ? DetectorWitness(site: 2) : nil)
    }

    /// Why the topology cannot be deployed with `config`, or nil.
    public func invalidReason(config: DetectorConfig) -> String? {
        for (i, s) in sites.enumerated() {
            if s.hosts < 1 { return "sites[\(i)]: needs at least one host" }
            if s.orchestratorHost < 0 || s.orchestratorHost >= s.hosts { return "sites[\(i)].orchestrator_host out of range" }
            if i != witness?.site && s.hosts < config.detectorsPerSite { return "sites[\(i)]: \(s.hosts) hosts < detectors_per_site \(config.detectorsPerSite)" }
        }
        var seen = Set<Int>()
        for r in routes {
            if !sites.indices.contains(r.watcher) || !sites.indices.contains(r.watched) { return "routes: unknown site" }
            if r.watcher == r.watched { return "routes: a site cannot watch itself" }
            if !seen.insert(r.watcher).inserted { return "routes: site \(r.watcher) watches two sites" }
            if r.watcher == witness?.site || r.watched == witness?.site { return "routes: the witness site runs no detectors" }
        }
        if let w = witness {
            if !sites.indices.contains(w.site) { return "witness.site unknown" }
            if w.host < 0 || w.host >= sites[w.site].hosts { return "witness.host out of range" }
        }
        return nil
    }
}
