import DRLSimCore

/// The plain, `Sendable` description of a network that `Network.init` builds: sites with their
/// LANs, directional WAN links with a root qdisc each, and the traffic-accounting settings.
///
/// The scenario layer fills it from the `sites:`, `wan:` and `outputs:` keys (interface.md).
/// Defaults: LAN 10 gbit with 50 us one-way delay (a datacenter fabric; only intra-site messages
/// use it), WAN segment 64 KiB (Linux qdiscs see GSO packets of up to 64 KiB, architecture.md),
/// root qdisc pfifo with txqueuelen 1000 (Linux's default for a device without a configured
/// qdisc), traffic bin 10 s (interface.md example `traffic_bin: 10s`), framing `.none` (payload-only
/// packets, for API users and unit tests; scenarios default to `.linux`, see `Framing`), no
/// transport overrides.
public struct NetworkConfig: Sendable, Equatable {
    /// A site and its LAN.
    public struct Site: Sendable, Equatable {
        /// The site's name (`umea`).
        public var name: String
        /// LAN line rate.
        public var lanRate: Rate
        /// LAN one-way delay.
        public var lanDelay: SimDuration
        /// A site with a default LAN.
        public init(name: String, lanRate: Rate = .gbit(10), lanDelay: SimDuration = .microseconds(50)) {
            self.name = name; self.lanRate = lanRate; self.lanDelay = lanDelay
        }
    }

    /// One direction of a WAN path.
    public struct Link: Sendable, Equatable {
        /// Source site index.
        public var from: Int
        /// Destination site index.
        public var to: Int
        /// Line rate.
        public var rate: Rate
        /// One-way delay (host to host).
        public var delay: SimDuration
        /// Segment (GSO) size in bytes: the IP-level budget of one model packet (`Framing`).
        public var segmentSize: Int
        /// Root qdisc in tc spelling (nil: pfifo, limit 1000 packets).
        public var qdisc: QdiscConfig?
        /// Wire framing: MTU and the headers charged per segment (API default `.none`, payload-only
        /// packets; scenarios default to `.linux`, see `Framing`).
        public var framing: Framing
        /// A directional link.
        public init(from: Int, to: Int, rate: Rate, delay: SimDuration, segmentSize: Int = 65_536, qdisc: QdiscConfig? = nil,
                    framing: Framing = .none) {
            self.from = from; self.to = to; self.rate = rate; self.delay = delay
            self.segmentSize = segmentSize; self.qdisc = qdisc; self.framing = framing
        }
    }

    /// Sites; index 0 is the primary, 1 the backup by convention.
    public var sites: [Site]
    /// Directional WAN links; every ordered pair used by traffic needs one.
    public var links: [Link]
    /// Width of a `traffic.csv` bin.
    public var trafficBin: SimDuration
    /// Directions whose traffic is accounted in the `traffic` table (default: only 0->1, primary
    /// to backup, where the paper measured at the tc qdisc; add 1->0 for the reverse: rows carry a
    /// trailing `direction` column to tell them apart).
    public var accountedDirections: [Direction]
    /// Name of the random stream prefix (netem draws from `"<prefix>.<from>-<to>.<qdisc path>"`).
    public var streamPrefix: String
    /// Transport overrides for every flow opened on the network (`wan.transport`).
    public var transport = TransportOptions()
    /// Transport overrides per traffic class, on top of `transport` (`wan.transport.classes`).
    public var classTransport: [TrafficClass: TransportOptions] = [:]

    /// The overrides a flow of class `c` gets.
    public func transport(for c: TrafficClass) -> TransportOptions {
        transport.overridden(by: classTransport[c] ?? TransportOptions())
    }

    /// An ordered site pair.
    public struct Direction: Sendable, Equatable, Hashable {
        /// Source site index.
        public var from: Int
        /// Destination site index.
        public var to: Int
        /// The direction `from -> to`.
        public init(from: Int, to: Int) { self.from = from; self.to = to }
    }

    /// A configuration from explicit parts.
    public init(sites: [Site], links: [Link], trafficBin: SimDuration = .milliseconds(10_000),
                accountedDirections: [Direction]? = nil, streamPrefix: String = "network") {
        self.sites = sites
        self.links = links
        self.trafficBin = trafficBin
        self.accountedDirections = accountedDirections
            ?? (sites.count >= 2 ? [Direction(from: 0, to: 1)] : [])
        self.streamPrefix = streamPrefix
    }

    /// The paper's topology: a primary and a backup site joined by a symmetric WAN path whose
    /// both directions have `rate`, one-way `delay`, `segmentSize`, root qdisc `qdisc` and `framing`.
    public static func twoSites(primary: String = "primary", backup: String = "backup", rate: Rate,
                                delay: SimDuration, segmentSize: Int = 65_536, qdisc: QdiscConfig? = nil,
                                reverseQdisc: QdiscConfig? = nil, trafficBin: SimDuration = .milliseconds(10_000),
                                framing: Framing = .none) -> NetworkConfig {
        NetworkConfig(
            sites: [Site(name: primary), Site(name: backup)],
            links: [Link(from: 0, to: 1, rate: rate, delay: delay, segmentSize: segmentSize, qdisc: qdisc, framing: framing),
                    Link(from: 1, to: 0, rate: rate, delay: delay, segmentSize: segmentSize, qdisc: reverseQdisc ?? qdisc, framing: framing)],
            trafficBin: trafficBin)
    }
}

/// A host at a site (the detector's pingers are addressed this way).
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// Site index.
    public var site: Int
    /// Host index within the site.
    public var host: Int
    /// Host `host` of site `site`.
    public init(site: Int, host: Int = 0) { self.site = site; self.host = host }
    /// A readable form.
    public var description: String { "\(site):\(host)" }
}

/// A datagram as handed to its delivery callback.
public struct Datagram: Sendable {
    /// Sender.
    public var from: Endpoint
    /// Receiver.
    public var to: Endpoint
    /// Size in bytes.
    public var bytes: Int
    /// Traffic class.
    public var trafficClass: TrafficClass
    /// When it was sent.
    public var sentAt: SimInstant
    /// A caller-chosen tag (e.g. a ping sequence number).
    public var tag: Int64
}
