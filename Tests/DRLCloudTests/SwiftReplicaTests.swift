import Testing
import DRLSimCore
import DRLTestSupport
@testable import DRLCloud

/// Issue 19: the backup's Swift keeps 3 replicas; its proxy sends every object to each of them
/// (`SwiftProxy`), so the ring stores 3x what the clients uploaded and the LAN carries 2 copies.
@Suite struct SwiftReplicaTests {
    @Test func proxyFanOutTimesTheObjectOnTheLAN() {
        let sim = Simulator()
        let proxy = SwiftProxy(sim: sim, replicas: 3, lanBytesPerSecond: 125e6)
        var done: [Double] = []
        // a 100 MB object arrives at once: 2 LAN copies at 125 MB/s = 1.6 s; a second 50 MB
        // object arriving at 1 s waits behind it (FIFO): 1.6 + 2 x 50 MB / 125 MB/s = 2.4 s
        proxy.receive(100_000_000) { done.append(sim.now.seconds) }
        sim.schedule(at: .seconds(1.0)) { _ in proxy.receive(50_000_000) { done.append(sim.now.seconds) } }
        sim.run(until: .seconds(10.0))
        #expect(done.count == 2)
        #expect(abs(done[0] - 1.6) < 1e-6 && abs(done[1] - 2.4) < 1e-6, "\(done)")
        #expect(proxy.lanBytes == 2 * 150_000_000 && proxy.diskBytes == 3 * 150_000_000)
        // one replica: nothing crosses the LAN, stored on arrival
        let solo = SwiftProxy(sim: sim, replicas: 1, lanBytesPerSecond: 125e6)
        var at: Double?
        solo.receive(100_000_000) { at = sim.now.seconds }
        #expect(at == 10.0 && solo.lanBytes == 0 && solo.diskBytes == 100_000_000)
    }

    @Test func storedBytesAreThreeTimesTheLogicalBytes() {
        let w = TestWorld(.pipe, mbit: 100)
        let recorder = VaultRecorder(vault: w.vault, site: w.backup.name, recorder: w.ctx.recorder, bin: .seconds(1 as Int64))
        let (_, v, _) = w.vmWithVolume(size: 100 * ByteUnits.MiB, type: .iscsi)
        let e = w.service.beginExecution(policy: "p")
        w.service.protect(resource: v.name, action: .volumeSnapshot, execution: e) { _ in w.service.finishExecution(e) }
        w.sim.run(until: .seconds(100.0))
        recorder.flush()
        let cols = w.ctx.recorder.columns["storage"]!
        let rows = w.ctx.recorder.rows["storage"]!.map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        #expect(!rows.isEmpty)
        for r in rows {
            guard case .int(let s) = r["stored_bytes"]!, case .int(let l) = r["logical_bytes"]! else { Issue.record("types"); continue }
            #expect(s == 3 * l)
        }
        #expect(rows.last!["logical_bytes"] == .int(w.vault.storedBytes))
        // every uploaded byte went twice over the backup's LAN and three times to disk
        #expect(w.vault.proxy.diskBytes == 3 * w.vault.uploadedBytes)
        #expect(w.vault.proxy.lanBytes == 2 * w.vault.uploadedBytes)
    }

    @Test func aSlowProxyDelaysTheSerialBackup() {
        // at 100 Mbit the 1 GbE proxy keeps up (2 x 12.5 MB/s); a 10 MB/s NIC makes every PUT
        // wait for 2 copies at 10 MB/s: 50 MiB objects take 10.5 s instead of 4.2 s on the wire
        func duration(_ lan: Double) -> Double {
            let w = TestWorld(.pipe, mbit: 100)
            let vault = SwiftStore(sim: w.sim, replicas: 3, lanBytesPerSecond: lan)
            var pc = ProtectionConfig()
            pc.pollInterval = .zero   // no status-poll quantisation: the difference is the proxy's
            let svc = ProtectionService(context: w.ctx, primary: w.primary, backup: w.backup, vault: vault, network: w.net, config: pc)
            let (_, v, _) = w.vmWithVolume(size: 100 * ByteUnits.MiB, type: .iscsi)
            for i in 0..<100 { v.device.submit(BlockWrite(offset: Int64(i) * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in } }
            w.sim.run(until: .seconds(2.0))
            let e = svc.beginExecution(policy: "p")
            var rec: ProtectionRecord?
            svc.protect(resource: v.name, action: .volumeSnapshot, execution: e) { rec = $0 }
            w.sim.run(until: .seconds(300.0))
            return try! #require(rec).duration.seconds
        }
        let fast = duration(125e6), slow = duration(10e6)
        let c = Double(ByteUnits.swiftChunk)
        // the second copy-out of each chunk overlaps its WAN arrival: the PUT ends 2c/10e6 after
        // its first byte instead of c*8/1e8 after it (both chunks, serial)
        let extra = 2 * (2 * c / 10e6 - c * 8 / 1e8)
        #expect(Approx.equal(slow - fast, extra, relative: 0.01), "slow \(slow) fast \(fast)")
    }
}
