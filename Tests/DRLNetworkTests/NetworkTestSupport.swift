import DRLSimCore
import Testing
@testable import DRLNetwork

/// Builds a two-site network in a fresh run context.
func makeNetwork(rate: Rate, delay: SimDuration, segment: Int = 65_536, qdisc: QdiscConfig? = nil,
                 reverseQdisc: QdiscConfig? = nil, bin: SimDuration = .milliseconds(1000),
                 bothDirections: Bool = false, framing: Framing = .none) throws -> Network {
    let ctx = RunContext(seed: 42, replication: 0)
    var cfg = NetworkConfig.twoSites(primary: "umea", backup: "lulea", rate: rate, delay: delay, segmentSize: segment,
                                     qdisc: qdisc, reverseQdisc: reverseQdisc, trafficBin: bin,
                                     framing: framing)
    if bothDirections { cfg.accountedDirections = [.init(from: 0, to: 1), .init(from: 1, to: 0)] }
    return try Network(config: cfg, context: ctx)
}

/// Asserts every conservation identity of `net` (called at the end of every network test).
func expectConserved(_ net: Network, sourceLocation: SourceLocation = #_sourceLocation) {
    let v = net.conservationViolations()
    #expect(v.isEmpty, "\(v)", sourceLocation: sourceLocation)
}

/// Keeps a flow's send buffer full until `total` bytes have been offered.
final class BulkSender {
    let flow: Flow
    var remaining: Int64
    var completedAt: SimInstant?
    let total: Int64

    init(flow: Flow, total: Int64) {
        self.flow = flow
        self.total = total
        remaining = total
        flow.onSpaceAvailable = { _ in self.fill() }
        flow.onDelivered = { f, _ in
            if f.deliveredBytes == self.total { self.completedAt = f.network.sim.now }
        }
        fill()
    }

    func fill() {
        while remaining > 0 {
            let n = flow.offer(min(remaining, 1 << 20))
            remaining -= n
            if n == 0 { break }
        }
    }
}

/// The instant `x` milliseconds after the start.
func ms(_ x: Int64) -> SimInstant { SimInstant(nanoseconds: x * 1_000_000) }
