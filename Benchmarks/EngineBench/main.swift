import Foundation

// drlsim-bench: engine and model benchmarks. Build and run in release:
//   swift run -c release drlsim-bench [mm1 N | hold K E | all]
// Speed is measured here, never asserted in tests; compare ratios against peers run in the
// same session (Benchmarks/run-peers.sh).

func line(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

func mm1(_ n: Int) {
    let m = MM1Benchmark(customers: n)
    let r = m.run()
    line(String(format: "engine=drlsim model=mm1 customers=%d events=%d wall_s=%.4f events_per_s=%.0f mean_wq=%.6f lindley_wq=%.6f",
                n, r.events, r.wall, Double(r.events) / r.wall, r.meanWq, m.lindleyMean()))
}

func hold(_ k: Int, _ e: Int) {
    let r = HoldBenchmark().run(pending: k, total: e)
    line(String(format: "engine=drlsim model=hold K=%d events=%d wall_s=%.4f events_per_s=%.0f",
                k, r.events, r.wall, Double(r.events) / r.wall))
}

func detector(_ hours: Double, retries: Int, fast: Bool) {
    let r = DetectorBenchmark(hours: hours, retries: retries, fast: fast).run()
    line(String(format: "engine=drlsim model=detector hours=%.1f detectors=2x3 loss=0.01 retries=%d fast=%d events=%d wall_s=%.4f rounds=%d internal_fp=%d false_failovers=%d",
                hours, retries, fast ? 1 : 0, r.events, r.wall, r.rounds, r.internalFP, r.falseFailovers))
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first ?? "all" {
case "mm1": mm1(args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000)
case "hold": hold(args.count > 1 ? Int(args[1]) ?? 1000 : 1000, args.count > 2 ? Int(args[2]) ?? 2_000_000 : 2_000_000)
case "network":
    NetworkBenchmark.run(arguments: Array(args.dropFirst()))
case "detector":
    let hours = args.count > 1 ? Double(args[1]) ?? 24 : 24
    detector(hours, retries: 5, fast: true)
    detector(hours, retries: 1, fast: true)
    if args.count > 2 && args[2] == "messages" { detector(hours, retries: 5, fast: false) }
case "fluid-estate":
    let n = args.count > 1 ? Int(args[1]) ?? 1000 : 1000
    let h = args.count > 2 ? Double(args[2]) ?? 24 : 24
    do {
        let r = try FluidEstateBenchmark(vms: n, hours: h).run()
        line(String(format: "engine=drlsim model=fluid-estate vms=%d hours=%.1f events=%d wall_s=%.3f reallocations=%d throttled_share=%.4f rows=%d",
                    n, h, r.events, r.wall, r.reallocations, r.throttledShare, r.rows))
    } catch { line("fluid-estate: \(error)"); exit(1) }
case "all":
    mm1(1_000_000)
    for k in [10, 1000, 100_000] { hold(k, 2_000_000) }
default:
    FileHandle.standardError.write(Data("usage: drlsim-bench [mm1 N | hold K E | network [MINUTES [SEGMENT...]] | detector [HOURS [messages]] | fluid-estate [VMS [HOURS]] | all]\n".utf8))
    exit(2)
}
