import Testing
import Foundation
import DRLSimCore
import DRLNetwork
@testable import DRLCloud
import DRLCloudTestSupport

/// The fluid DRBD device's initial full sync and max-buffers ceiling (issue 16 item 1, storage
/// part): sync times derived by hand (dirty bytes / resync rate).
struct FluidDRBDSyncTests {
    final class Keep { var volumes: [Volume] = [] }
    let keep = Keep()

    /// A 1 GiB volume with an initial full sync at a fixed resync rate, on a 1e9 B/s link with a
    /// 10 ms one-way delay (20 ms round trip).
    func make(resync: Double, maxBuffers: Int64 = 2048) -> (Simulator, FluidDRBD) {
        let sim = Simulator()
        let net = MaxMinRateNetwork(bytesPerSecond: 1e9, oneWayDelay: .milliseconds(10))
        let v = Volume(name: "v", size: ByteUnits.GiB, type: .drbd)
        keep.volumes.append(v)
        var c = DRBDConfig()
        c.initialFullSync = true
        c.resync = .fixed(bytesPerSecond: resync)
        c.maxBuffers = maxBuffers
        return (sim, FluidDRBD(volume: v, sim: sim, network: net, source: "a", destination: "b", config: c))
    }

    func run(_ sim: Simulator, to t: Double) {
        sim.schedule(at: .seconds(t)) { s in s.stop() }
        sim.run(until: .seconds(t))
    }

    @Test func initialFullSyncTakesTheVolumeOverTheResyncRate() {
        // 2^30 bytes at 1e7 B/s: 107.3741824 s; the peer is Inconsistent (no recovery point) until then.
        let (sim, d) = make(resync: 1e7)
        run(sim, to: 100); d.sync()
        #expect(d.state == .syncSource)
        #expect(d.peerDiskState == .inconsistent)
        #expect(d.recoveryPoint() == nil)
        #expect(d.sampleReplicationState() == .initialSync)
        #expect(abs(d.resyncDelivered - 1e9) < 2)
        #expect(d.initialSyncBytes == ByteUnits.GiB)
        #expect(d.replicationConservationHolds())
        run(sim, to: 107.37); d.sync()
        #expect(d.state == .syncSource)
        run(sim, to: 107.38); d.sync()
        #expect(d.state == .established)
        #expect(d.peerDiskState == .upToDate)
        #expect(d.resyncsCompleted == 1)
        #expect(abs(d.resyncDelivered - Double(ByteUnits.GiB)) < 2)
        #expect(d.dirtyBytes == 0)
        #expect(d.recoveryPoint() == sim.now)
        #expect(d.sampleReplicationState() == .continuous)
        #expect(d.replicationConservationHolds())
    }

    @Test func maxBuffersCapsTheResyncAtBuffersPerRoundTrip() {
        // 32 pages of 4 KiB per 20 ms round trip: 6553600 B/s < the 1e7 asked; 2^30 bytes take
        // 163.84 s.
        let (sim, d) = make(resync: 1e7, maxBuffers: 32)
        run(sim, to: 163.83); d.sync()
        #expect(d.state == .syncSource)
        #expect(abs(d.resyncDelivered - 163.83 * 6_553_600) < 2)
        run(sim, to: 163.85); d.sync()
        #expect(d.state == .established)
        #expect(abs(d.resyncDelivered - Double(ByteUnits.GiB)) < 2)
    }

    @Test func noInitialSyncByDefault() {
        let sim = Simulator()
        let net = MaxMinRateNetwork(bytesPerSecond: 1e9, oneWayDelay: .milliseconds(10))
        let v = Volume(name: "v", size: ByteUnits.GiB, type: .drbd)
        keep.volumes.append(v)
        let d = FluidDRBD(volume: v, sim: sim, network: net, source: "a", destination: "b")
        run(sim, to: 1); d.sync()
        #expect(d.state == .established && d.dirtyBytes == 0 && d.initialSyncBytes == 0)
        #expect(d.recoveryPoint() == sim.now)
    }
}
