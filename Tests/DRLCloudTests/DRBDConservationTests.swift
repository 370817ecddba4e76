import Testing
import DRLSimCore
import DRLTestSupport
@testable import DRLCloud

/// `DRBDDevice.conservationViolations` compares the device's counters with the channels' own
/// counts: it holds through a connection loss, and a wrong counter breaks it.
@Suite struct DRBDConservationTests {
    /// Pushes a device into on-congestion disconnect (a connection dropped with data in flight),
    /// reconnects and resyncs: the books balance at every sample.
    func disconnectedDevice(_ t: Transport) -> (DRBDDevice, TestWorld) {
        let w = TestWorld(t, mbit: 100, oneWayMs: 2)
        var cfg = DRBDConfig()
        cfg.onCongestion = .disconnect
        cfg.congestionFill = ByteUnits.MiB
        let (vm, v, d) = w.vmWithVolume(size: 256 * ByteUnits.MiB, type: .drbd, drbd: cfg)
        let dev = d!
        let gen = ConstantRateGenerator(bytesPerSecond: 40e6, writeSize: ByteUnits.MiB, placement: .random,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        let run = WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: dev, vm: vm)
        run.start()
        w.sample(every: .milliseconds(100), until: .seconds(5.0)) {
            #expect(dev.conservationViolations() == [])
        }
        run.stop()
        dev.connect()
        w.sample(every: .milliseconds(500), until: .seconds(60.0)) {
            #expect(dev.conservationViolations() == [])
        }
        return (dev, w)
    }

    @Test(arguments: Transport.allCases) func booksBalanceThroughAConnectionLoss(_ t: Transport) {
        let (dev, _) = disconnectedDevice(t)
        // The run exercised every identity: a loss with data in the channel, and a resync.
        #expect(dev.statistics.droppedAppBytes > 0)
        #expect(dev.statistics.resyncDeliveredBytes > 0)
        #expect(dev.channelAcceptedBytes == dev.statistics.replicatedBytes + dev.statistics.resyncSentBytes)
        #expect(dev.channelDeliveredBytes > dev.statistics.deliveredAppBytes)
        #expect(dev.conservationHolds)
    }

    /// Each counter off by one byte breaks the identity that holds it (and only that one).
    @Test(arguments: Transport.allCases) func aWrongCounterIsCaught(_ t: Transport) {
        let (dev, _) = disconnectedDevice(t)
        let good = dev.statistics
        let cases: [(WritableKeyPath<DRBDStatistics, Int64>, String)] = [
            (\.writtenBytes, "written"), (\.bitmapAbsorbedBytes, "written"),
            (\.replicatedBytes, "written"), (\.resyncSentBytes, "stream"),
            (\.deliveredAppBytes, "delivered"), (\.resyncDeliveredBytes, "delivered"),
            (\.droppedAppBytes, "dropped"), (\.resyncDroppedBytes, "dropped"),
        ]
        for (counter, identity) in cases {
            dev.statistics[keyPath: counter] += 1
            let v = dev.conservationViolations()
            #expect(!dev.conservationHolds)
            #expect(v.contains { $0.hasPrefix(identity) }, "\(counter): \(v)")
            dev.statistics = good
        }
        // replicatedBytes sits in two identities (submitted = admitted, stream = channel).
        dev.statistics.replicatedBytes += 4096
        #expect(dev.conservationViolations().count == 2)
        dev.statistics = good
        #expect(dev.conservationHolds)
    }
}
