import Testing
import Foundation
import DRLSimCore
import DRLTestSupport
@testable import DRLCloud

@Suite struct WorkloadTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// Runs `config` on a plain 1 GiB volume for `seconds`; returns (runner, volume).
    func run(_ config: WorkloadConfig, seconds: Double, seed: UInt64 = 3) -> (Workload, Volume) {
        let w = TestWorld(seed: seed)
        let (vm, v, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        let wl = try! config.makeWorkload(WorkloadEnvironment(context: w.ctx, vm: vm, device: v.device, network: w.net,
                                                              site: w.primary.name))
        wl.start(at: nil)
        w.sim.run(until: .seconds(seconds))
        return (wl, v)
    }

    @Test func constantRateWritesAtItsRate() {
        let (wl, v) = run(.constantRate(bytesPerSecond: 10e6, writeSize: ByteUnits.MiB), seconds: 20)
        #expect(Approx.equal(Double(wl.issuedBytes) / 20, 10e6, relative: 0.01))
        #expect(v.history.total == wl.issuedBytes)
    }

    @Test func onOffAveragesToTheDutyCycle() {
        let (wl, _) = run(.onOff(bytesPerSecond: 20e6, onDuration: .seconds(2 as Int64), offDuration: .seconds(3 as Int64),
                                 writeSize: ByteUnits.MiB), seconds: 100)
        #expect(Approx.equal(Double(wl.issuedBytes) / 100, 20e6 * 2 / 5, relative: 0.03))
    }

    @Test func poissonMeanRateAndDeterminism() {
        let cfg = WorkloadConfig.poisson(writesPerSecond: 200, size: .uniform(low: 4096, high: 65536))
        let (a, va) = run(cfg, seconds: 50, seed: 9)
        let (b, vb) = run(cfg, seconds: 50, seed: 9)
        let (c, _) = run(cfg, seconds: 50, seed: 10)
        #expect(a.issuedBytes == b.issuedBytes)
        #expect(va.allocated == vb.allocated)
        #expect(a.issuedBytes != c.issuedBytes)
        // mean size (4096 + 65536)/2 = 34816 B, rounded up to 4 KiB blocks (+2 KiB on average)
        let expected = 200.0 * (34_816 + 2048)
        #expect(Approx.equal(Double(a.issuedBytes) / 50, expected, relative: 0.05))
        // random placement rewrites some blocks
        #expect(va.allocated.setBytes < a.issuedBytes)
    }

    @Test func traceReplayGivesExpectedBytesAndBlocks() throws {
        let trace = try BlockTrace.load(path: Self.fixture("small-trace.csv"))
        #expect(trace.records.count == 6)
        #expect(trace.writeBytes == 4096 + 8192 + 4096 + 16384 + 4096)
        let (wl, v) = run(.traceReplay(trace), seconds: 1)
        #expect(wl.issuedBytes == 36_864)
        #expect(wl.completedBytes == 36_864)
        // blocks 0,1,2 (0..12 KiB) and 16..19 (64 KiB + 16 KiB); the read at 1 MiB is skipped
        #expect(v.allocated.setBlocks == [0, 1, 2, 16, 17, 18, 19])
        #expect(v.history.writes == 5)
    }

    @Test func msrCambridgeLayout() throws {
        let trace = try BlockTrace.load(path: Self.fixture("msr-sample.csv"))
        #expect(trace.records.count == 4)
        #expect(trace.records[1].isWrite == false)
        #expect(trace.records[2].time == .nanoseconds((128166372003161629 - 128166372003061629) * 100))
        #expect(trace.records[3].time == .seconds(1 as Int64))
        #expect(trace.writeBytes == 4096 + 4096 + 65536)
    }

    @Test func malformedTraceNamesFileAndLine() {
        let path = Self.fixture("bad-trace.csv")
        #expect(throws: BlockTraceError.self) { try BlockTrace.load(path: path) }
        do { _ = try BlockTrace.load(path: path) } catch {
            #expect(error.file == path)
            #expect(error.line == 3)
            #expect(error.message.contains("banana"))
            #expect(error.description.hasPrefix("\(path):3:"))
        }
        #expect(throws: BlockTraceError(file: "t.csv", line: 1, message: "type \"X\" is neither Read nor Write")) {
            try BlockTrace.parse("0.0,0,4096,X", file: "t.csv")
        }
        #expect(throws: BlockTraceError.self) { try BlockTrace.parse("0.0,0,4096", file: "t.csv") }
    }

    @Test(arguments: Transport.allCases) func videoTranscoderFetchesStoresAndTranscodes(_ t: Transport) {
        let w = TestWorld(t, mbit: 100, seed: 5)
        let (vm, v, _) = w.vmWithVolume(size: 10 * ByteUnits.GiB, type: .iscsi)
        var cfg = VideoTranscoderConfig()
        cfg.videos = 5
        cfg.loop = false
        let wl = try! WorkloadConfig.videoTranscoder(cfg).makeWorkload(
            WorkloadEnvironment(context: w.ctx, vm: vm, device: v.device, network: w.net, site: w.primary.name))
        wl.start(at: nil)
        w.sim.run(until: .seconds(200.0))
        let tr = wl as! VideoTranscoder
        #expect(tr.videoSizes.count == 5)
        #expect(tr.videoSizes.allSatisfy { $0 >= 20_000_000 && $0 <= 100_000_000 })
        let input = tr.videoSizes.reduce(0, +)
        #expect(tr.downloadedBytes == input)
        #expect(tr.videosStored == 5)
        #expect(tr.videosTranscoded == 5)
        let outputs = tr.videoSizes.reduce(Int64(0)) { $0 + Int64(Double($1) * 0.5) }
        #expect(v.history.total == input + outputs)
        #expect(wl.completedBytes == v.history.total)
    }
}
