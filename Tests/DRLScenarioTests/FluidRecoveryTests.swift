import Testing
import DRLSimCore
import DRLScenarioTestSupport

/// A DRBD volume replicated as a fluid queue (`wan.model: flow`) is recovered from its peer like
/// a packet-level one: the one recovery-point record says whether the peer is consistent, and
/// the failover decision reads it (a regression: fluid volumes once failed every recovery as
/// "DRBD replica ... is not consistent").
@Suite struct FluidRecoveryTests {
    static let yaml = """
    schema: 1
    name: fluid-recovery
    seed: 5
    duration: 20min
    sites:
      primary: { name: umea, hosts: 6 }
      backup:  { name: lulea, hosts: 3 }
    wan: { model: flow, rate: 100mbit, delay: 2.5ms }
    workload:
      vms:
        - name: db
          volume: { size: 1GiB, type: drbd }
          writes: { type: constant, rate: 8mbit, write_size: 64KiB, placement: sequential }
    protection: { policy: replication, interval: 5min }
    drbd: { protocol: A, on_congestion: block }
    disaster: { at: 12min }
    """

    @Test func fluidDRBDVolumeRecoversFromItsConsistentPeer() throws {
        let run = try ScenarioRun(yaml: Self.yaml)
        run.execute()
        let rec = run.rows("recovery")
        #expect(rec.count == 1)
        #expect(rec.first?["status"] == .text("recovered"))
        // The volume's RPO is the fluid queue's: a writer at 8 Mbit/s on a 100 Mbit/s link keeps
        // no backlog, so what the backup lacks is at most the one-way delay's worth of writes.
        let vol = run.rows("rpo").filter { $0["resource"] == .text("db-vol") }
        #expect(vol.count == 1)
        if case .double(let rpo)? = vol.first?["rpo_s"] { #expect(rpo >= 0 && rpo < 0.1) } else { Issue.record("no rpo_s") }
    }
}
