import Testing
import Foundation
import DRLScenario
import DRLExperiment

/// `dr_summary.csv` (DRSummary) on a hand-made DR result set with known answers, and the
/// check curves' rule for censored durations.
struct DRSummaryTests {
    static func table(_ name: String, _ csv: String) -> TextTable { TextTable(name: name, csv: csv)! }

    static var set: ResultSet {
        let runs = table("runs", """
            run,point,replication,scenario,seed,duration_s,events
            0,0,0,s,1,100.0,10
            1,0,1,s,1,100.0,10

            """)
        // Run 0: execution 0 finished (60 s), execution 1's volume snapshot cut at the end.
        // Run 1: a disaster aborts an action (not a sample).
        let protection = table("protection", """
            run,point,replication,execution,resource,kind,action,start_s,end_s,duration_s,bytes,status
            0,0,0,0,vm1,vm,vm-snapshot,10.0,40.0,30.0,1,completed
            0,0,0,0,vm1-vol,volume,volume-snapshot,40.0,70.0,30.0,1,completed
            0,0,0,1,vm1,vm,vm-snapshot,70.0,80.0,10.0,1,overlapped
            0,0,0,1,vm1-vol,volume,volume-snapshot,80.0,100.0,20.0,1,censored
            1,0,1,0,vm1,vm,vm-snapshot,10.0,50.0,40.0,1,completed
            1,0,1,0,vm1-vol,volume,volume-snapshot,50.0,55.0,5.0,1,aborted

            """)
        let rpo = table("rpo", """
            run,point,replication,resource,action,disaster_s,recovery_point_s,rpo_s,lost_bytes,vm,vm_rpo_s
            1,0,1,vm1,vm-snapshot,55.0,-1,55.0,0,vm1,55.0
            1,0,1,vm1-vol,volume-snapshot,55.0,-1,55.0,0,vm1,55.0

            """)
        let recovery = table("recovery", """
            run,point,replication,disaster_s,detected_s,notified_s,recovery_started_s,recovered_s,responsive_s,redirected_s,rto_s,kind,policy,status,reason,downtime_s
            0,0,0,90.0,90.5,90.6,92.6,nan,nan,91.0,10.0,failover,p,censored,run ended during vm-boot,nan
            1,0,1,55.0,55.5,55.5,57.5,80.0,86.0,56.0,31.0,failover,p,recovered,,nan

            """)
        let writes = table("writes", """
            run,point,replication,t_s,vm,requested_bytes,completed_bytes,writes,throttled_s,throttled_share,latency_mean_s,latency_p99_s
            0,0,0,0.0,vm1,60,50,5,2.0,0.2,0.1,0.2
            0,0,0,10.0,vm1,40,30,3,3.0,0.3,0.1,0.2
            1,0,1,0.0,vm1,100,100,10,0.0,0.0,0.1,0.1

            """)
        let manifest = Manifest(version: "0.1.0", scenario: "s", file: "s.yaml", fingerprint: "0", seed: 1, points: 1,
                                replications: 2, shard: "all", summaries: [])
        return ResultSet(manifest: manifest, tables: [runs, protection, rpo, recovery, writes])
    }

    func row(_ t: TextTable, _ metric: String, _ group: String) -> [String: String]? {
        guard let r = t.rows.first(where: { $0.cells[0] == metric && $0.cells[1] == group }) else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(t.columns, r.cells))
    }

    @Test func summaryCountsFinishedAndCensoredSeparately() throws {
        var set = Self.set
        try set.addSummaries()
        let t = try #require(set.table(DRSummary.table))
        #expect(t.columns == DRSummary.columns)
        #expect(t.rows.allSatisfy { $0.run == -1 && $0.replication == -1 })
        let vs = try #require(row(t, "protection.duration_s", "action=volume-snapshot"))
        // 30 s finished, 20 s censored, 5 s aborted (not a sample).
        #expect(vs["n"] == "1" && vs["censored"] == "1" && vs["mean"] == "30.0" && vs["lower_bound_mean"] == "25.0")
        let vm = try #require(row(t, "protection.duration_s", "action=vm-snapshot"))
        #expect(vm["n"] == "3" && vm["censored"] == "0" && vm["mean"] == "26.666666666666668")
        // Executions: run 0 #0 = 60 s finished, #1 = 30 s censored; run 1 #0 was cut by the
        // disaster (an aborted action), so it is no sample, like its action (it used to count
        // as a finished 40 s execution: the VM snapshot's length alone).
        let ex = try #require(row(t, "protection.execution_s", ""))
        #expect(ex["n"] == "1" && ex["censored"] == "1" && ex["mean"] == "60.0", "\(ex)")
        let rto = try #require(row(t, "recovery.rto_s", "kind=failover"))
        #expect(rto["n"] == "1" && rto["censored"] == "1" && rto["mean"] == "31.0" && rto["lower_bound_mean"] == "20.5")
        #expect(row(t, "recovery.detection_s", "kind=failover")?["mean"] == "0.5")
        #expect(row(t, "recovery.recovery_s", "kind=failover")?["mean"] == "22.5")
        let vmRPO = try #require(row(t, "rpo.vm_rpo_s", "vm=vm1"))
        #expect(vmRPO["n"] == "1" && vmRPO["mean"] == "55.0")
        // Throttled: run 0 5 s of 100 s, run 1 none -> mean 0.025; throughput 80 and 100 bytes in
        // 100 s -> 6.4 and 8 bit/s; p99: the largest bin's, 0.2 and 0.1.
        let th = try #require(row(t, "writes.throttled_share", "vm=vm1"))
        #expect(th["n"] == "2" && th["mean"] == "0.025" && th["max"] == "0.05")
        #expect(row(t, "writes.completed_bps", "vm=vm1")?["mean"] == "7.2")
        #expect(row(t, "writes.latency_p99_s", "vm=vm1")?["max"] == "0.2")
    }

    @Test func checkCurvesUseTheSummaryAndOnlyCountCensoredRows() throws {
        var set = Self.set
        try set.addSummaries()
        let c = CurveExtractor().curves(of: set)
        let censored = c.values.filter { $0.group.contains("status=censored") }
        #expect(!censored.isEmpty && censored.allSatisfy { $0.statistic == "count" })
        let m = c.values.first { $0.table == "dr_summary" && $0.column == "mean" && $0.group == "metric=recovery.rto_s;group=kind=failover" }
        #expect(m?.value == 31.0)
    }
}

/// `dr_summary.csv` of a real small DR run (the scenario of DRLScenarioTests' CensoringTests):
/// snapshot policy every 5 min at 50 mbit for 11 min, a 1 GiB volume, a disaster at 640 s.
/// Execution 0 finishes; execution 1's volume snapshot is aborted by the disaster (no sample);
/// the recovery is cut at 660 s (censored, 20 s). A shard has no summary (merge recomputes it).
struct DRSummaryRunTests {
    static let yaml = """
    schema: 1
    name: cens
    seed: 3
    duration: 11min
    wan: { rate: 50mbit, delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
    workload:
      vms:
        - name: vm
          image: 190MB
          volume: { size: 1GiB }
          writes: { type: constant, rate: 1mbit, write_size: 64kb }
    protection: { policy: snapshot, interval: 5min }
    detector: { transport: fixed }
    disaster: { at: 640s }
    """

    @Test func aRealRunSummarisesFinishedCensoredAndAborted() throws {
        let s = try Scenario.parse(yaml: Self.yaml, file: "c.yaml")
        let results = try ExperimentRunner(scenario: s).execute()
        let set = try ResultSet.build(scenario: s, results: results)
        let t = try #require(set.table(DRSummary.table))
        func row(_ m: String, _ g: String) -> [String: String]? {
            t.rows.first { $0.cells[0] == m && $0.cells[1] == g }.map { Dictionary(uniqueKeysWithValues: zip(t.columns, $0.cells)) }
        }
        let vs = try #require(row("protection.duration_s", "action=volume-snapshot"))
        #expect(vs["n"] == "1" && vs["censored"] == "0", "\(vs)")   // the second one was aborted
        let rto = try #require(row("recovery.rto_s", "kind=failover"))
        #expect(rto["n"] == "0" && rto["censored"] == "1" && rto["lower_bound_mean"] == "20.0" && rto["km_median"] == "inf")
        let vm = try #require(row("rpo.vm_rpo_s", "vm=vm"))
        #expect(vm["n"] == "1")
        #expect(row("writes.throttled_share", "vm=vm")?["n"] == "1")
        // A shard has none: `drlsim merge` recomputes it over the whole set, never concatenates.
        let a = try ResultSet.build(scenario: s, results: results, shard: "0/1")
        #expect(a.table(DRSummary.table) == nil)
    }
}
