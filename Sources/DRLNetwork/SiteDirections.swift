import DRLSimCore

/// A direction between two sites that the `traffic` table can account.
protocol AccountedDirection: AnyObject {
    /// The direction's traffic account (nil when it is not accounted).
    var accounting: TrafficAccount? { get set }
}

/// The directions of a WAN model between the sites of a `NetworkConfig`, shared by the packet
/// model (`Network`, over `Link`s) and the flow-level model (`FlowNetwork`, over `FlowLink`s):
/// one LAN per site, one WAN direction per configured link with its qdisc tree (built by the
/// `QdiscRegistry`), the accounted directions' `TrafficAccount`s, the path lookup, the
/// directions touching a site (isolate, reconnect) and the `traffic` table's rows.
struct SiteDirections<Direction: AccountedDirection> {
    /// Each site's LAN, by site index.
    var lans: [Direction] = []
    /// The WAN direction `from -> to`, if configured.
    var wan: [[Direction?]] = []
    /// The traffic accounts of the accounted directions (they keep them alive).
    var accounts: [TrafficAccount] = []

    /// No sites (before a model's initialiser fills it in).
    init() {}

    /// The directions of `config`: `lan(i, site)` builds site `i`'s LAN; `link(config, root)`
    /// builds a WAN direction over its root qdisc (the configured tree, a 1000-packet pfifo
    /// without one), in configuration order.
    init(config: NetworkConfig, context: RunContext, qdiscs: QdiscRegistry,
         lan: (Int, NetworkConfig.Site) -> Direction,
         link: (NetworkConfig.Link, Qdisc) -> Direction) throws(NetworkConfigError) {
        let n = config.sites.count
        guard n >= 1 else { throw .invalid("network: at least one site is required") }
        wan = Array(repeating: Array(repeating: nil, count: n), count: n)
        for (i, s) in config.sites.enumerated() { lans.append(lan(i, s)) }
        for (k, lc) in config.links.enumerated() {
            guard lc.from >= 0, lc.from < n, lc.to >= 0, lc.to < n, lc.from != lc.to else {
                throw .invalid("wan.links[\(k)]: bad site pair \(lc.from)->\(lc.to)")
            }
            guard wan[lc.from][lc.to] == nil else { throw .invalid("wan.links[\(k)]: duplicate direction \(lc.from)->\(lc.to)") }
            guard lc.segmentSize > 0 else { throw .badValue(key: "wan.segment", value: "\(lc.segmentSize)", expected: "a positive size") }
            let path = "\(config.streamPrefix).\(config.sites[lc.from].name)-\(config.sites[lc.to].name)"
            let root: Qdisc
            if let q = lc.qdisc {
                do throws(NetworkConfigError) {
                    root = try qdiscs.build(q, context: QdiscBuildContext(linkRate: lc.rate, mtu: lc.framing.largestPacket(segmentSize: lc.segmentSize),
                                                                        streamName: path, runContext: context))
                } catch { throw error.prefixed("wan.qdisc") }
            } else {
                root = FifoQdisc(mode: .packets, limit: 1000)
            }
            wan[lc.from][lc.to] = link(lc, root)
        }
        for d in config.accountedDirections {
            guard d.from >= 0, d.from < n, d.to >= 0, d.to < n, let l = wan[d.from][d.to] else { continue }
            let acc = TrafficAccount(bin: config.trafficBin, direction: "\(config.sites[d.from].name)->\(config.sites[d.to].name)")
            l.accounting = acc
            accounts.append(acc)
        }
    }

    /// Number of sites.
    var siteCount: Int { lans.count }

    /// The direction from site `from` to site `to` (the LAN when they are equal).
    @inline(__always) func direction(from: Int, to: Int) -> Direction {
        if from == to { return lans[from] }
        guard let l = wan[from][to] else { preconditionFailure("network: no WAN link \(from)->\(to)") }
        return l
    }

    /// True when a direction exists from `from` to `to`.
    func exists(from: Int, to: Int) -> Bool {
        from == to ? from >= 0 && from < siteCount : wan[from][to] != nil
    }

    /// Calls `body(from, to)` for every WAN direction out of and into `site` (a site disaster or
    /// a cut uplink): for each other site in index order, outbound first.
    func forEachWANDirection(touching site: Int, _ body: (Int, Int) -> Void) {
        for other in 0..<siteCount where other != site {
            if wan[site][other] != nil { body(site, other) }
            if wan[other][site] != nil { body(other, site) }
        }
    }

    /// Every direction: the LANs, then the WAN directions by source and destination site.
    var all: [Direction] {
        var all = lans
        for row in wan { for l in row { if let l { all.append(l) } } }
        return all
    }

    /// The `traffic` table's rows up to `now`: every account's bins, sorted by time, class and
    /// direction.
    func trafficRows(until now: SimInstant) -> [[RecordValue]] {
        var rows: [[RecordValue]] = []
        for a in accounts { rows.append(contentsOf: a.rows(until: now)) }
        rows.sort { x, y in
            guard case .double(let tx) = x[0], case .double(let ty) = y[0],
                  case .text(let cx) = x[1], case .text(let cy) = y[1],
                  case .text(let dx) = x[5], case .text(let dy) = y[5] else { return false }
            if tx != ty { return tx < ty }
            if cx != cy { return cx < cy }
            return dx < dy
        }
        return rows
    }
}

extension Link: AccountedDirection {}
extension FlowLink: AccountedDirection {}
