import Testing
import Foundation
import DRLTestSupport

/// `drlsim run` of a small DRBD scenario writes `replication.csv` with the documented columns,
/// byte-identical whatever `--jobs`; a DR world without DRBD volumes has the header only.
struct ReplicationTableTests {
    static let header = "run,point,replication,t_s,resource,state,drbd_state,lag_s,backlog_bytes,sent_bytes,written_bytes,eta_synced_s"

    /// A 60 s run: a 40 MB/s writer on a DRBD volume over 100 Mbit/s (block: throttled, backlog).
    static func yaml(volumeType: String) -> String {
        """
        schema: 1
        name: replication-e2e
        seed: 3
        duration: 60s
        replications: 2
        sites:
          primary: { name: umea, hosts: 2 }
          backup:  { name: lulea, hosts: 2 }
        wan: { rate: 100mbit, delay: 2ms }
        workload:
          vms:
            - name: writer
              image: 190MB
              volume: { size: 1GiB, type: \(volumeType) }
              writes: { type: constant, rate: 320mbit, write_size: 1MiB }
        protection: { vm_action: image-copy, interval: 10min }
        outputs: { traffic_bin: 10s, replication_bin: 5s }

        """
    }

    func lines(_ tmp: TemporaryFolder, _ dir: String) -> [String] {
        String(decoding: tmp.files(in: dir)["replication.csv"] ?? Data(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    @Test func drbdRunWritesReplicationCSV() throws {
        let tmp = try TemporaryFolder("replication")
        defer { tmp.remove() }
        try tmp.write("drbd.yaml", Self.yaml(volumeType: "drbd"))
        for (out, jobs) in [("a", "1"), ("b", "2")] {
            let r = try CommandLineTool.run(["run", "drbd.yaml", "--out", out, "--jobs", jobs], in: tmp.url)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = lines(tmp, "a")
        #expect(a.first == Self.header)
        let rows = a.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.allSatisfy { $0.count == 12 })
        // Both replications, every 5 s from 0 to 60 s (13 periodic rows each), plus state changes.
        for rep in ["0", "1"] {
            let mine = rows.filter { $0[2] == rep }
            let periodic = mine.filter { Double($0[3])!.truncatingRemainder(dividingBy: 5) == 0 }
            #expect(periodic.count == 13, "replication \(rep): \(periodic.count) periodic rows")
            #expect(mine.allSatisfy { $0[4] == "writer-vol" })
            // The 40 MB/s writer is throttled to the 12.5 MB/s link: backlog, Established, lag < 1 s.
            let late = mine.filter { Double($0[3])! >= 5 }
            #expect(late.allSatisfy { $0[5] == "backlog" && $0[6] == "Established" })
            #expect(late.allSatisfy { Double($0[7])! > 0 && Double($0[7])! < 1 })
            let last = try #require(late.last)
            let written = Double(last[10])!
            #expect(written > 0.9 * 12.5e6 * 60 && written < 12.5e6 * 60 * 1.02, "written \(written)")
            #expect(Int64(last[9])! >= Int64(last[10])! - Int64(last[8])!)
        }
        #expect(tmp.files(in: "a")["replication.csv"] == tmp.files(in: "b")["replication.csv"])
    }

    @Test func worldWithoutDRBDHasTheHeaderOnly() throws {
        let tmp = try TemporaryFolder("replication")
        defer { tmp.remove() }
        try tmp.write("iscsi.yaml", Self.yaml(volumeType: "iscsi").replacingOccurrences(of: "duration: 60s", with: "duration: 5s"))
        let r = try CommandLineTool.run(["run", "iscsi.yaml", "--out", "o"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines(tmp, "o") == [Self.header])
    }
}
