import Testing
import DRLScenarioTestSupport
import DRLSimCore
import DRLOrchestration
@testable import DRLScenario

/// Issue 16 item 3 on whole runs: recovery priority groups and `recovery.concurrency`
/// (`recovery_vms`, `recovery_groups`), `protection.concurrency`, `protection.policies` and
/// their one-line errors. Idle VMs (190 MB image, 16 MiB DRBD volume), replication policy,
/// first protection at 1 min, disaster at 4 min.
struct ParallelismScenarioTests {
    static func yaml(vms: [(String, Int?)], protection: String = "", recovery: String = "", duration: String = "10min") -> String {
        var s = """
        schema: 1
        name: par
        seed: 5
        duration: \(duration)
        sites:
          primary: { name: umea, hosts: 4 }
          backup: { name: lulea, hosts: 3 }
        wan: { rate: 1gbit, delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
        workload:
          vms:

        """
        for (name, priority) in vms {
            s += "    - name: \(name)\n      image: 190MB\n      volume: { size: 16MiB }\n"
            if let priority { s += "      priority: \(priority)\n" }
        }
        s += """
        protection:
          policy: replication
          interval: 30min
          first_after: 1min
        \(protection)
        detector: { transport: fixed }
        disaster: { at: 4min }
        \(recovery)
        """
        return s
    }

    typealias Row = ScenarioRun.Row

    /// The tables of one run of `yaml` (`ScenarioRun`).
    func rows(_ yaml: String) throws -> (String) -> [Row] {
        let run = try ScenarioRun(yaml: yaml, file: "p.yaml")
        run.execute()
        return run.rows
    }

    func d(_ v: RecordValue?) -> Double {
        switch v { case .double(let x)?: return x; case .int(let i)?: return Double(i); default: return .nan }
    }
    func i(_ v: RecordValue?) -> Int { if case .int(let x)? = v { return Int(x) }; return -1 }
    func t(_ v: RecordValue?) -> String { if case .text(let x)? = v { return x }; return "" }

    /// The most intervals [start, end) open at once.
    func maxOverlap(_ intervals: [(Double, Double)]) -> Int {
        var ev: [(at: Double, delta: Int)] = []
        for x in intervals { ev.append((x.0, 1)); ev.append((x.1, -1)) }
        // an interval ending when another starts does not overlap it: ends first
        ev.sort { a, b in a.at != b.at ? a.at < b.at : a.delta < b.delta }
        var c = 0, m = 0
        for e in ev { c += e.delta; m = max(m, c) }
        return m
    }

    @Test func priorityGroupsRecoverInOrderWithinTheConcurrencyBound() throws {
        let vms: [(String, Int?)] = [("a", 2), ("b", 1), ("c", 3), ("d", 1), ("e", 2), ("f", 1), ("g", 2)]
        let r = try rows(Self.yaml(vms: vms, recovery: "recovery: { concurrency: 2 }"))
        let vmRows = r("recovery_vms")
        #expect(vmRows.count == 7)
        #expect(vmRows.allSatisfy { t($0["status"]) == "recovered" }, "\(vmRows)")
        // priorities as written, volume included in its VM's unit
        for (name, p) in vms { #expect(vmRows.first { t($0["vm"]) == name }.map { i($0["priority"]) } == p) }
        // no VM of group g+1 starts before group g's last VM is responsive
        for g in 1...2 {
            let last = vmRows.filter { i($0["priority"]) == g }.map { d($0["responsive_s"]) }.max()!
            let next = vmRows.filter { i($0["priority"]) == g + 1 }.map { d($0["started_s"]) }.min()!
            #expect(next >= last, "group \(g + 1) starts at \(next), group \(g) ends at \(last)")
            #expect(next == last)   // and without delay
        }
        // never more than 2 at once, counted from the rows; the bound is reached (3 VMs in group 1)
        #expect(maxOverlap(vmRows.map { (d($0["started_s"]), d($0["responsive_s"])) }) == 2)
        // each unit alone: image import (2 s + 190 MB / 40 MB/s = 6.75 s) + drbd manage 3 s +
        // remap 0.2 s + its stack (base 1 s + port 1 s + server 5 s + attachment 2 s, Heat's 1 s
        // steps) = 18.95 s. Two units started together share the backup site's restore
        // throughput (`SharedRestores`): their imports' 4.75 s transfers each take 9.5 s, so
        // 23.7 s; the third of a group starts when the pair's imports are over and runs alone.
        // (Before the shared throughput every unit took 18.95 s: that asserted the upper bound
        // the issue calls wrong.)
        var paired = 0
        for x in vmRows {
            let together = vmRows.filter { d($0["started_s"]) == d(x["started_s"]) }.count
            #expect(together <= 2)
            if together == 2 { paired += 1 }
            #expect(abs(d(x["recovered_s"]) - d(x["started_s"]) - (together == 2 ? 23.7 : 18.95)) < 1e-6, "\(x)")
        }
        #expect(paired == 4)   // b+d in group 1, a+e in group 2
        // the groups' and the estate's RTO: the last responsive VM's
        let groups = r("recovery_groups")
        #expect(groups.count == 4)
        for g in 1...3 {
            let row = try #require(groups.first { i($0["priority"]) == g })
            let vmsOf = vmRows.filter { i($0["priority"]) == g }
            #expect(i(row["vms"]) == vmsOf.count && i(row["recovered"]) == vmsOf.count)
            #expect(d(row["rto_s"]) == vmsOf.map { d($0["rto_s"]) }.max()!)
        }
        let estate = try #require(groups.first { i($0["priority"]) == 0 })
        #expect(d(estate["rto_s"]) == vmRows.map { d($0["rto_s"]) }.max()!)
        // recovery.csv's policy row: responsive with its last VM
        let policy = try #require(r("recovery").first)
        #expect(d(policy["rto_s"]) == d(estate["rto_s"]))
        #expect(t(policy["status"]) == "recovered")
    }

    /// Four VMs recovering at once on the 3 backup compute hosts with `max_concurrent_builds: 1`:
    /// their four imports share the restore throughput (each 2 s + 4 x 4.75 s = 21 s), so all
    /// four reach `vm-boot` at one instant T; Nova builds three (one per host, recovered_s = T),
    /// the fourth waits for a slot and starts its boot when the first boot ends.
    @Test func bootsBeyondMaxConcurrentBuildsWaitForASlot() throws {
        let yaml = Self.yaml(vms: [("a", nil), ("b", nil), ("c", nil), ("d", nil)],
                             recovery: "recovery: { concurrency: 4, max_concurrent_builds: 1 }")
        let r = try rows(yaml)
        let vmRows = r("recovery_vms")
        #expect(vmRows.count == 4 && vmRows.allSatisfy { t($0["status"]) == "recovered" })
        let boots = r("recovery_steps").filter { t($0["step"]).hasSuffix("/vm-boot") }
        #expect(boots.count == 4)
        let t0 = boots.map { d($0["start_s"]) }
        #expect(Set(t0).count == 1)   // all four reach vm-boot together
        let imports = r("recovery_steps").filter { t($0["step"]).contains("/image-import:") }
        #expect(imports.count == 4 && imports.allSatisfy { abs(d($0["duration_s"]) - 21) < 1e-6 })
        let recovered = vmRows.map { d($0["recovered_s"]) }.sorted()
        #expect(recovered[0] == t0[0] && recovered[1] == t0[0] && recovered[2] == t0[0])
        // the waiting one starts when the first of the three boots ends
        let firstEnds = boots.filter { b in vmRows.contains { t($0["vm"]) + "/vm-boot" == t(b["step"]) && d($0["recovered_s"]) == t0[0] } }
            .map { d($0["end_s"]) }.sorted()
        #expect(firstEnds.count == 3)
        #expect(recovered[3] == firstEnds[0])
        #expect(recovered[3] > t0[0])
    }

    @Test func concurrencyOneChainsTheVMsAndWaitingTimeIsRecorded() throws {
        let r = try rows(Self.yaml(vms: [("a", nil), ("b", nil), ("c", nil)], recovery: "recovery: { concurrency: 1 }"))
        let vmRows = r("recovery_vms").sorted { d($0["started_s"]) < d($1["started_s"]) }
        #expect(vmRows.map { t($0["vm"]) } == ["a", "b", "c"])
        for k in 1..<vmRows.count {
            #expect(d(vmRows[k]["started_s"]) == d(vmRows[k - 1]["responsive_s"]))
            #expect(abs(d(vmRows[k]["wait_s"]) - (d(vmRows[k]["started_s"]) - d(vmRows[k]["queued_s"]))) < 1e-9)
        }
        // shared part: orchestrator 2 s + metadata 0.5 s + key pairs 0.3 s + shared stack
        // (base 1 s + network 1 s + subnet 1 s) = 5.8 s after the notification
        let notified = d(r("recovery").first?["notified_s"])
        #expect(abs(d(vmRows[0]["queued_s"]) - notified - 5.8) < 1e-6)
    }

    @Test func theRunsEndCensorsEveryVMAndGroupStillRecovering() throws {
        // disaster at 240 s, run ends at 300 s: with one VM at a time only the first two of
        // group 1 (~25.5 s each after the 5.8 s shared part) can be responsive
        let vms: [(String, Int?)] = [("a", 1), ("b", 1), ("c", 1), ("d", 2)]
        let r = try rows(Self.yaml(vms: vms, recovery: "recovery: { concurrency: 1 }", duration: "5min"))
        let vmRows = r("recovery_vms")
        #expect(vmRows.count == 4)   // every VM has its row
        let censored = vmRows.filter { t($0["status"]) == "censored" }
        #expect(vmRows.filter { t($0["status"]) == "recovered" }.count == 2 && censored.count == 2)
        #expect(censored.allSatisfy { d($0["rto_s"]) == 60 })   // lower bound: end - disaster
        let c = try #require(censored.first { t($0["vm"]) == "c" }), dd = try #require(censored.first { t($0["vm"]) == "d" })
        #expect(t(c["reason"]).hasPrefix("run ended during "))
        #expect(t(dd["reason"]) == "run ended before its group started")
        let groups = r("recovery_groups")
        #expect(groups.map { i($0["priority"]) } == [1, 2, 0])
        #expect(groups.allSatisfy { t($0["status"]) == "censored" && d($0["rto_s"]) == 60 })
        #expect(t(r("recovery").first?["status"]) == "censored")
    }

    @Test func aPolicyWithoutRecoveryPointFailsItsVMsAndTheOthersGoOn() throws {
        // `big`'s 190 GB image copy cannot finish before the disaster: policy `late` has no
        // ready container; `front`'s VMs recover in their groups
        let yaml = Self.yaml(vms: [("a", 1), ("big", 1), ("c", 2)], protection: """
          policies:
            front: { vms: [a, c] }
            late: { vms: [big] }
        """, recovery: "recovery: { concurrency: 1 }")
            .replacingOccurrences(of: "- name: big\n      image: 190MB", with: "- name: big\n      image: 190GB")
        let r = try rows(yaml)
        let vmRows = r("recovery_vms")
        let big = try #require(vmRows.first { t($0["vm"]) == "big" })
        #expect(t(big["status"]) == "failed" && t(big["reason"]) == "policy late has no ready recovery point")
        #expect(vmRows.filter { t($0["status"]) == "recovered" }.map { t($0["vm"]) } == ["a", "c"])
        let groups = r("recovery_groups")
        let g1 = try #require(groups.first { i($0["priority"]) == 1 })
        #expect(i(g1["vms"]) == 2 && i(g1["recovered"]) == 1 && i(g1["failed"]) == 1 && t(g1["status"]) == "failed")
        let estate = try #require(groups.first { i($0["priority"]) == 0 })
        #expect(i(estate["vms"]) == 3 && i(estate["failed"]) == 1)
        #expect(d(estate["rto_s"]) == vmRows.filter { t($0["status"]) == "recovered" }.map { d($0["rto_s"]) }.max()!)
        // rows in finishing order: late failed at its metadata read, front with its last VM
        #expect(r("recovery").map { "\(t($0["policy"])):\(t($0["status"]))" } == ["late:failed", "front:recovered"])
    }

    @Test func withoutPrioritiesOrConcurrencyTheRecoveryIsPolicyWide() throws {
        let r = try rows(Self.yaml(vms: [("a", nil), ("b", nil)]))
        #expect(r("recovery_vms").isEmpty && r("recovery_groups").isEmpty)
        #expect(r("recovery").count == 1)
        // the paper's pipeline: the failovers one after another, then one stack
        let steps = r("recovery_steps").map { t($0["step"]) }
        #expect(steps.prefix(6) == ["orchestrator", "metadata-read", "image-import:a", "image-import:b", "drbd-manage:a-vol", "drbd-manage:b-vol"])
    }

    @Test func protectionConcurrencyBoundsTheTransfersAndOneIsTodaysRows() throws {
        let vms: [(String, Int?)] = (0..<5).map { ("v\($0)", nil) }
        let three = try rows(Self.yaml(vms: vms, protection: "  concurrency: 3"))
        let first = three("protection").filter { i($0["execution"]) == 0 }
        #expect(first.count == 10)
        #expect(maxOverlap(first.map { (d($0["start_s"]), d($0["end_s"])) }) == 3)
        // the first three start together at 60 s, in member order
        #expect(first.filter { d($0["start_s"]) == 60 }.map { t($0["resource"]) }.sorted() == ["v0", "v1", "v2"])
        let one = try rows(Self.yaml(vms: vms, protection: "  concurrency: 1"))
        let none = try rows(Self.yaml(vms: vms))
        for table in ["protection", "protection_steps", "recovery", "recovery_steps", "rpo", "traffic"] {
            #expect(one(table) == none(table), "\(table)")
        }
        #expect(maxOverlap(none("protection").filter { i($0["execution"]) == 0 }.map { (d($0["start_s"]), d($0["end_s"])) }) == 1)
        // in parallel the first protection of 5 VMs ends sooner
        let end3 = first.map { d($0["end_s"]) }.max()!
        let end1 = none("protection").filter { i($0["execution"]) == 0 }.map { d($0["end_s"]) }.max()!
        #expect(end3 < end1)
    }

    @Test func policiesHaveTheirOwnVMsAndIntervals() throws {
        let vms: [(String, Int?)] = [("web", nil), ("db-0", nil), ("db-1", nil), ("spare", nil)]
        let r = try rows(Self.yaml(vms: vms, protection: """
          policies:
            front: { vms: [web], interval: 2min }
            data: { vms: [db], interval: 4min, concurrency: 2 }
        """, duration: "5min"))
        let prot = r("protection")
        // front due at 60 s, 180 s (300 s is the run's end); data at 60 s (300 s)
        let web = prot.filter { t($0["resource"]) == "web" }.map { d($0["start_s"]) }
        #expect(web == [60, 180])
        let db = prot.filter { t($0["resource"]).hasPrefix("db-") && t($0["kind"]) == "vm" }
        #expect(db.count == 2 && db.allSatisfy { d($0["start_s"]) == 60 })   // concurrency 2: together
        #expect(!prot.contains { t($0["resource"]).hasPrefix("spare") })   // in no policy: not protected
        // db's volumes follow their VMs
        #expect(prot.filter { t($0["resource"]) == "db-0-vol" }.count == 1)
        let rec = r("recovery").map { t($0["policy"]) }
        #expect(rec == ["front", "data"])
    }

    func error(_ yaml: String) -> String? {
        do { _ = try Scenario.parse(yaml: yaml, file: "p.yaml"); return nil }
        catch let e as ScenarioError { return e.description } catch { return "\(error)" }
    }

    @Test func badPoliciesAreOneLineErrorsAtTheirLine() {
        let vms: [(String, Int?)] = [("web", nil), ("db", nil)]
        // `policies:` is line 21 (2 VMs x 3 lines after line 10's `vms:`, 4 lines of protection)
        #expect(error(Self.yaml(vms: vms, protection: "  policies:\n    a: { vms: [web] }\n    b: { vms: [db, web] }"))
                == "p.yaml:23: protection.policies.b.vms[1]: VM 'web' is already in policy a: a VM belongs to one policy")
        #expect(error(Self.yaml(vms: vms, protection: "  policies:\n    a: { vms: [web, cache] }"))
                == "p.yaml:22: protection.policies.a.vms[1]: 'cache' is no VM of workload.vms (nor the name of copies 'cache-<k>')")
        #expect(error(Self.yaml(vms: vms, protection: "  policies:\n    a: { vms: [web], logic: { type: bandwidth-shares } }"))
                == "p.yaml:22: protection.policies.a.logic.type: bandwidth-shares shapes the whole link: set it in protection.logic, not per policy")
        #expect(error(Self.yaml(vms: vms, protection: "  policies:\n    a: { vms: [] }"))?.contains("a policy needs at least one VM") == true)
        #expect(error(Self.yaml(vms: [("web", 0)]))?.contains("workload.vms[0].priority") == true)
        #expect(error(Self.yaml(vms: vms, recovery: "recovery: { concurrency: 0 }"))?.contains("recovery.concurrency") == true)
        #expect(error(Self.yaml(vms: vms, recovery: "recovery: { concurrency: 2, max_concurrent_builds: 0 }"))?.contains("recovery.max_concurrent_builds") == true)
        #expect(error(Self.yaml(vms: vms, protection: "  concurrency: 0"))?.contains("protection.concurrency") == true)
    }
}
