import Testing
import Foundation
import DRLTestSupport

/// `storage.csv` and `protection.retention` through the built `drlsim`.
struct StorageCommandTests {
    static func yaml(retention: String = "retention: { count: 2 }") -> String {
        """
        schema: 1
        name: vault
        seed: 4
        duration: 5min
        replications: 2
        sites:
          primary: { name: umea, hosts: 2 }
          backup: { name: lulea, hosts: 2 }
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
            - name: vm1
              image: 50MB
              volume: { size: 100MiB }
        protection:
          policy: snapshot
          interval: 1min
          \(retention)
        outputs: { traffic_bin: 10s }

        """
    }

    @Test func runWritesStorageCsvDeterministically() throws {
        let tmp = try TemporaryFolder("storage")
        defer { tmp.remove() }
        try tmp.write("vault.yaml", Self.yaml())
        for (out, jobs) in [("a", "1"), ("b", "2")] {
            let r = try CommandLineTool.run(["run", "vault.yaml", "--out", out, "--jobs", jobs], in: tmp.url)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = tmp.files(in: "a"), b = tmp.files(in: "b")
        let data = try #require(a["storage.csv"])
        #expect(data == b["storage.csv"])
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.first == "run,point,replication,t_s,site,container_kind,containers,objects,stored_bytes,logical_bytes,recovery_points")
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        // Both replications, every row of the backup's execution containers, at most 2 points.
        #expect(Set(rows.map { $0[0] }) == ["0", "1"])
        #expect(rows.allSatisfy { $0[4] == "lulea" && $0[5] == "execution" })
        #expect(rows.allSatisfy { Int($0[10])! <= 2 })
        #expect(rows.contains { Int($0[10])! == 2 })
        // Executions at 1..4 min (the one due at 5 min, the run's end, does not start:
        // Docs/statistics.md): the vault holds the 2 complete ones retention keeps.
        let last = try #require(rows.last)
        #expect(Int(last[6]) == 2 && Int(last[10]) == 2, "\(last)")
    }


    @Test func badRetentionIsOneLineErrorWithExit2() throws {
        let cases: [(String, String)] = [
            ("retention: { count: 0 }", "vault.yaml:18: protection.retention.count: count must be at least 1"),
            ("retention: { age: 2 }", "vault.yaml:18: protection.retention.age: \"2\" has no unit"),
        ]
        for (retention, expected) in cases {
            let tmp = try TemporaryFolder("badret")
            defer { tmp.remove() }
            try tmp.write("vault.yaml", Self.yaml(retention: retention))
            let r = try CommandLineTool.run(["run", "vault.yaml", "--out", "out"], in: tmp.url)
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderrLines.count == 1)
            #expect(r.stderr.hasPrefix(expected), "\(r.stderr)")
            #expect(!tmp.entries().contains("out"))
        }
    }
}
