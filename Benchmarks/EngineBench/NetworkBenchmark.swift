import DRLNetwork
import DRLSimCore
import Foundation

/// The WAN benchmark of issue 3: 30 simulated minutes of a saturated 500 mbit link (one bulk
/// CUBIC flow, 2.5 ms one-way delay, root pfifo 1000) with 64 KiB segments (goal < 1 s wall in
/// release) and with 1500 B segments (goal < 60 s). Prints events, events/s, wall time and the
/// achieved goodput. Usage: `drlsim-bench network [minutes] [segment ...]`.
enum NetworkBenchmark {
    /// Runs the benchmark; `arguments` are `[minutes] [segment bytes ...]` (defaults 30, 65536 1500).
    static func run(arguments: [String]) {
        let minutes = arguments.first.flatMap { Int64($0) } ?? 30
        let segments = arguments.count > 1 ? arguments.dropFirst().compactMap { Int($0) } : [65_536, 1500]
        for seg in segments { runOne(minutes: minutes, segment: seg) }
    }

    static func runOne(minutes: Int64, segment: Int) {
        let ctx = RunContext(seed: 1, replication: 0)
        let cfg = NetworkConfig.twoSites(primary: "umea", backup: "lulea", rate: .mbit(500),
                                         delay: .microseconds(2500), segmentSize: segment)
        let net: Network
        do { net = try Network(config: cfg, context: ctx) } catch {
            print("network benchmark: \(error)")
            return
        }
        let flow = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 8 << 20)
        flow.onSpaceAvailable = { f in f.offer(1 << 30) }
        flow.offer(1 << 30)
        let start = DispatchTime.now().uptimeNanoseconds
        ctx.sim.run(until: SimInstant(nanoseconds: minutes * 60_000_000_000))
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        net.finish()
        let events = ctx.sim.eventsExecuted
        let goodput = Double(flow.deliveredBytes) * 8 / Double(minutes * 60) / 1e6
        let line = String(format: "engine=drlsim model=wan500 minutes=%d segment=%d events=%d wall_s=%.3f events_per_s=%.0f goodput_mbit=%.2f retransmitted=%d",
                          Int(minutes), segment, events, wall, Double(events) / wall, goodput, Int(flow.retransmittedBytes))
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
