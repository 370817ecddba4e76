import Testing
import Foundation
import DRLSimCore
@testable import DRLCloud

/// The write rate processes (issue 16 item 1): the diurnal shape's analytic answers, the
/// piecewise-constant steps, the schedules of the other workloads, the diurnal packet writer.
struct RateProcessTests {
    let day = SimDuration.seconds(86_400 as Int64)

    @Test func diurnalOffsetGivesTheRequestedPeakRatio() {
        // ratio <= 2: b = 1/(ratio-1); ratio > 2: pi(1+b)/(b alpha + sin alpha) = ratio.
        #expect(DiurnalProfile.offset(peakRatio: 1.5) == 2)
        #expect(DiurnalProfile.offset(peakRatio: 2) == 1)
        for r in [2.5, 3.0, 5.0, 20.0] {
            let b = DiurnalProfile.offset(peakRatio: r), a = acos(-b)
            #expect(abs(Double.pi * (1 + b) / (b * a + sin(a)) - r) < 1e-9)
        }
        // Peak 3: b = 0.08348 (solved independently), positive for alpha / pi = 52.66 % of the day.
        let b3 = DiurnalProfile.offset(peakRatio: 3)
        #expect(abs(b3 - 0.083482) < 1e-6)
        #expect(abs(acos(-b3) / Double.pi - 0.52660) < 1e-5)
    }

    @Test func continuousShapeHasTheMeanAndPeakAtPhase() {
        let p = DiurnalProfile(mean: 250_000, peakRatio: 3, period: day, phase: .seconds(14 * 3600 as Int64), step: .minutes(5))
        #expect(abs(p.continuousRate(at: .seconds(14 * 3600)) - 750_000) < 1e-6)
        // Zero at the opposite of the peak (2:00), a clipped cosine.
        #expect(p.continuousRate(at: .seconds(2 * 3600)) == 0)
        // Numeric mean over a day (midpoint rule, 1 s) equals the mean.
        var s = 0.0
        for k in 0..<86_400 { s += p.continuousRate(at: .seconds(Double(k) + 0.5)) }
        #expect(abs(s / 86_400 - 250_000) < 1)
    }

    @Test func stepsAreExactMeansAndADayWritesMeanTimesPeriod() {
        for ratio in [1.0, 1.5, 3.0] {
            let p = DiurnalProfile(mean: 250_000, peakRatio: ratio, period: day, phase: .seconds(3600 as Int64), step: .minutes(5))
            let sched = RateSchedule.diurnal(p)
            // Exactly mean x period over any whole day.
            #expect(abs(sched.bytes(from: .zero, to: .zero + day) - 250_000 * 86_400) < 1e-3 * 250_000)
            #expect(abs(sched.bytes(from: .seconds(7_000), to: .seconds(7_000) + day) - 250_000 * 86_400) < 1e-3 * 250_000)
            // The rate changes only at step boundaries.
            let seg = sched.segment(at: .seconds(601))
            #expect(seg.until == .seconds(900))
            #expect(sched.segment(at: .seconds(899)).rate == seg.rate)
            // A step's rate is the shape's mean over it (midpoint rule on 300 points).
            var m = 0.0
            for k in 0..<300 { m += p.continuousRate(at: .seconds(600 + Double(k) + 0.5)) }
            #expect(abs(seg.rate - m / 300) < 1e-3 * 250_000)
        }
        // Ratio 1.5: a raised cosine, trough (2 - 1.5) x mean, never zero.
        let p = DiurnalProfile(mean: 100, peakRatio: 1.5, period: day, step: .minutes(5))
        #expect(abs(p.continuousRate(at: .seconds(43_200)) - 50) < 1e-9)
    }

    @Test func schedulesOfTheOtherWorkloads() {
        let oo = RateSchedule.onOff(rate: 1000, on: .seconds(2 as Int64), off: .seconds(3 as Int64))
        #expect(oo.segment(at: .seconds(1)).rate == 1000)
        #expect(oo.segment(at: .seconds(1)).until == .seconds(2))
        #expect(oo.segment(at: .seconds(2)).rate == 0)
        #expect(oo.segment(at: .seconds(2)).until == .seconds(5))
        #expect(oo.bytes(from: .zero, to: .seconds(50)) == 20_000)
        // Poisson at its mean rate: 5 writes/s of 64 KiB.
        let po = WorkloadConfig.poisson(writesPerSecond: 5, size: .constant(65_536)).rateSchedule()
        #expect(po == .constant(327_680))
        #expect(WorkloadConfig.videoTranscoder(VideoTranscoderConfig()).rateSchedule() == nil)
        // A trace aggregated to 10 s bins.
        let trace = try! BlockTrace.parse("time_s,offset,size,op\n1,0,4096,W\n2,4096,4096,W\n15,0,8192,W\n16,0,100,R\n", file: "t.csv")
        let b = RateSchedule.binned(trace, timeScale: 1, width: .seconds(10 as Int64))
        #expect(b == .bins(width: .seconds(10 as Int64), rates: [819.2, 819.2]))
        #expect(b.segment(at: .seconds(25)).rate == 0)
        #expect(b.segment(at: .seconds(25)).until == nil)
    }

    @Test func diurnalPacketWriterFollowsTheProfile() {
        let ctx = RunContext(seed: 3, replication: 0)
        let p = DiurnalProfile(mean: 262_144, peakRatio: 3, period: .seconds(3600 as Int64), phase: .seconds(1800 as Int64), step: .seconds(60 as Int64))
        for arrivals in [DiurnalArrivals.constant, .poisson] {
            let g = DiurnalGenerator(profile: p, writeSize: 65_536, placement: .random, arrivals: arrivals,
                                     capacity: 1 << 30, stream: ctx.stream("w.\(arrivals)"))
            var t = SimInstant.zero, n = 0, inNight = 0
            while true {
                let w = g.next()!
                t = t + w.gap
                if t >= .seconds(3600) { break }
                n += 1
                if RateSchedule.diurnal(p).segment(at: t).rate == 0 { inNight += 1 }
            }
            // 262144 B/s x 3600 s / 65536 B = 14400 writes (constant: exact to one write;
            // Poisson: within 4 standard deviations, sqrt(14400) = 120).
            #expect(abs(n - 14_400) <= (arrivals == .constant ? 1 : 480))
            #expect(inNight == 0)   // no write in a zero-rate step
        }
    }
}
