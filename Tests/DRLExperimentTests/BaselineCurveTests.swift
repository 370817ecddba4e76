import Testing
import Foundation
import DRLExperiment

/// Curve extraction (`CurveExtractor`) on a hand-made result set, and the curves file round trip.
struct BaselineCurveTests {
    /// A table from CSV text (`run,point,replication,...`).
    static func table(_ name: String, _ csv: String) -> TextTable { TextTable(name: name, csv: csv)! }

    /// 2 points (swept protection.interval 5min, 10min) x 2 replications.
    static var set: ResultSet {
        let runs = table("runs", """
            run,point,replication,scenario,seed,duration_s,events,protection.interval
            0,0,0,s,1,60.0,10,5min
            1,0,1,s,1,60.0,10,5min
            2,1,0,s,1,60.0,10,10min
            3,1,1,s,1,60.0,10,10min

            """)
        let protection = table("protection", """
            run,point,replication,execution,resource,kind,action,start_s,end_s,duration_s,bytes,status
            0,0,0,0,vm1,vm,image-copy,0.0,1.0,1.0,100,completed
            0,0,0,1,vm1,vm,image-copy,0.0,2.0,2.0,100,completed
            1,0,1,0,vm1,vm,image-copy,0.0,3.0,3.0,100,completed
            1,0,1,0,vm1,vm,vm-snapshot,0.0,10.0,10.0,100,completed
            1,0,1,1,vm1,vm,vm-snapshot,0.0,nan,nan,100,completed
            1,0,1,2,vm1,vm,vm-snapshot,0.0,7.5,7.5,100,aborted
            2,1,0,0,vm1,vm,image-copy,0.0,4.0,4.0,100,completed

            """)
        let traffic = table("traffic", """
            run,point,replication,t_s,class,bytes,cum_bytes,rate_bps,direction
            0,0,0,0.0,replication,100,100,0.0,out
            0,0,0,10.0,replication,50,150,0.0,out
            0,0,0,0.0,image,7,7,0.0,out
            1,0,1,0.0,replication,300,300,0.0,out

            """)
        let manifest = Manifest(version: "0.1.0", scenario: "s", file: "s.yaml", fingerprint: "0", seed: 1, points: 2,
                                replications: 2, shard: "all", summaries: [])
        return ResultSet(manifest: manifest, tables: [runs, protection, traffic])
    }

    func value(_ c: CurveSet, _ interval: String, _ curve: String, _ stat: String) -> Double? {
        c.values.first { $0.pointValues == [interval] && $0.curve == curve && $0.statistic == stat }?.value
    }

    @Test func protectionDurationsPoolRowsOfAllReplications() throws {
        let c = CurveExtractor().curves(of: Self.set)
        #expect(c.sweptKeys == ["protection.interval"])
        let ic = "protection.duration_s[action=image-copy;status=completed]"
        // Samples 1, 2, 3: GSL quantiles interpolate linearly at (n-1)q.
        #expect(value(c, "5min", ic, "mean") == 2.0)
        #expect(abs(try #require(value(c, "5min", ic, "p10")) - 1.2) < 1e-12)
        #expect(value(c, "5min", ic, "p50") == 2.0)
        #expect(abs(try #require(value(c, "5min", ic, "p90")) - 2.8) < 1e-12)
        #expect(value(c, "5min", ic, "count") == 3)
        #expect(value(c, "10min", ic, "mean") == 4.0)
        #expect(value(c, "10min", ic, "count") == 1)
        // The NaN duration is not a sample; the aborted one is its own curve.
        let vs = "protection.duration_s[action=vm-snapshot;status=completed]"
        #expect(value(c, "5min", vs, "count") == 1)
        #expect(value(c, "5min", vs, "mean") == 10.0)
        #expect(value(c, "5min", "protection.duration_s[action=vm-snapshot;status=aborted]", "mean") == 7.5)
        #expect(value(c, "10min", vs, "mean") == nil)
        // Tables the set does not have give no curve.
        #expect(!c.values.contains { $0.table == "rpo" || $0.table == "queue" })
    }

    @Test func trafficTotalsArePerReplicationSums() throws {
        let c = CurveExtractor().curves(of: Self.set)
        let rep = "traffic.bytes[class=replication;direction=out]"
        // Replication totals 150 and 300.
        #expect(value(c, "5min", rep, "mean") == 225)
        #expect(abs(try #require(value(c, "5min", rep, "p10")) - 165) < 1e-9)
        #expect(abs(try #require(value(c, "5min", rep, "p90")) - 285) < 1e-9)
        // A replication without a row of the class sends 0 bytes of it.
        #expect(value(c, "5min", "traffic.bytes[class=image;direction=out]", "mean") == 3.5)
        #expect(value(c, "5min", rep, "count") == nil, "traffic keeps no count")
    }

    @Test func groupColumnsATableLacksAreIgnoredAndSpecsAreOneLine() {
        let spec = CurveSpec(table: "traffic", groupBy: ["class", "no_such_column"], column: "bytes", sampling: .sumPerReplication, statistics: [.mean])
        let c = CurveExtractor(specs: [spec]).curves(of: Self.set)
        #expect(c.values.map(\.curve) == ["traffic.bytes[class=image]", "traffic.bytes[class=replication]"])
        #expect(c.values.map(\.value) == [3.5, 225])
    }

    @Test func curvesCSVRoundTripsExactly() throws {
        var c = CurveExtractor().curves(of: Self.set)
        c.values.append(CurveValue(point: 0, pointValues: ["a,b"], table: "x", column: "y", group: "", statistic: "mean", value: .nan))
        c.values.append(CurveValue(point: 0, pointValues: ["5min"], table: "x", column: "y", group: "", statistic: "mean", value: 0.1 + 0.2))
        let back = try #require(CurveSet(csv: c.csv))
        #expect(back.sweptKeys == c.sweptKeys)
        #expect(back.values.count == c.values.count)
        for (a, b) in zip(back.values, c.values) {
            #expect(a.curve == b.curve && a.pointValues == b.pointValues && a.statistic == b.statistic && a.point == b.point)
            #expect(a.value.bitPattern == b.value.bitPattern || (a.value.isNaN && b.value.isNaN))
        }
        #expect(c.csv.hasPrefix("point,protection.interval,table,column,group,statistic,value\n"))
        #expect(CurveSet(csv: "point,table,column\n") == nil)
    }

    @Test func recoveryPhasesAreDifferencesOfInstants() throws {
        let runs = Self.table("runs", """
            run,point,replication,scenario,seed,duration_s,events
            0,0,0,s,1,60.0,10
            1,0,1,s,1,60.0,10

            """)
        let recovery = Self.table("recovery", """
            run,point,replication,disaster_s,detected_s,notified_s,recovery_started_s,recovered_s,responsive_s,redirected_s,rto_s,kind,policy,status,reason,downtime_s
            0,0,0,100.0,100.5,100.625,101.0,120.0,130.0,130.125,30.0,failover,replication,recovered,,nan
            1,0,1,200.0,200.75,200.875,202.0,230.0,240.0,240.25,40.0,failover,replication,recovered,,nan

            """)
        let manifest = Manifest(version: "0.1.0", scenario: "s", file: "s.yaml", fingerprint: "0", seed: 1, points: 1,
                                replications: 2, shard: "all", summaries: [])
        let c = CurveExtractor().curves(of: ResultSet(manifest: manifest, tables: [runs, recovery]))
        #expect(c.sweptKeys.isEmpty)
        let g = "[kind=failover;policy=replication;status=recovered]"
        func v(_ column: String, _ stat: String) -> Double? {
            c.values.first { $0.curve == "recovery.\(column)\(g)" && $0.statistic == stat }?.value
        }
        #expect(v("rto_s", "mean") == 35)
        #expect(v("rto_s", "p50") == 35)
        #expect(v("detected_s-disaster_s", "mean") == 0.625)
        #expect(v("notified_s-detected_s", "mean") == 0.125)
        #expect(v("recovery_started_s-notified_s", "mean") == (0.375 + 1.125) / 2)
        #expect(v("recovered_s-recovery_started_s", "mean") == 23.5)
        #expect(v("responsive_s-recovered_s", "mean") == 10)
        #expect(v("responsive_s-recovered_s", "count") == 2)
    }
}
