"""Writes small result sets with known answers (the CSV contract of README "Where results go")."""

from __future__ import annotations

from pathlib import Path


def write_set(folder: Path, tables: dict[str, str], fmt: int = 2, extra_manifest: str = "") -> Path:
    """A result set: ``tables`` maps file stem -> CSV text; the manifest lists them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text.strip() + "\n")
    lines = [f"format: drlsim-results {fmt}", "drlsim: 0.2.0", "scenario: synthetic", "seed: 1",
             "points: 2", "replications: 2", "runs: 4", "shard: all"]
    lines += [f"csv: {n}.csv rows 0 bytes 0" for n in tables] if fmt == 2 else []
    (folder / "manifest.txt").write_text("\n".join(lines) + "\n" + extra_manifest)
    return folder


RUNS = """
run,point,replication,scenario,seed,duration_s,events,wan.rate,protection.policy
0,0,0,synthetic,1,1000.0,10,100mbit,snapshot
1,0,1,synthetic,1,1000.0,10,100mbit,snapshot
2,1,0,synthetic,1,1000.0,10,1gbit,replication
3,1,1,synthetic,1,1000.0,10,1gbit,replication
"""

POINTS = """
run,point,replication,key,value,number,unit
all,0,all,wan.rate,100mbit,100000000,bit/s
all,0,all,protection.policy,snapshot,,
all,1,all,wan.rate,1gbit,1000000000,bit/s
all,1,all,protection.policy,replication,,
"""

# Point 0 (snapshot): run 0 has a completed (100 s), a censored (new format, 50 s) and an
# aborted (disaster) action; run 1 a completed (200 s), an old-format abort at the run's end
# (end_s = 1000 = duration_s, 30 s: censored) and a 0-second stub at the end (dropped).
PROTECTION = """
run,point,replication,execution,resource,kind,action,start_s,end_s,duration_s,bytes,status
0,0,0,0,web-vol,volume,volume-snapshot,100.0,200.0,100.0,1000,completed
0,0,0,1,web-vol,volume,volume-snapshot,950.0,1000.0,50.0,500,censored
0,0,0,2,web-vol,volume,volume-snapshot,500.0,540.0,40.0,400,aborted
1,0,1,0,web-vol,volume,volume-snapshot,100.0,300.0,200.0,1000,completed
1,0,1,1,web-vol,volume,volume-snapshot,970.0,1000.0,30.0,300,aborted
1,0,1,2,web-vol,volume,volume-snapshot,1000.0,1000.0,0.0,0,aborted
2,1,0,0,web-vol,volume,volume-replication,100.0,101.0,1.0,10,completed
3,1,1,0,web-vol,volume,volume-replication,100.0,103.0,3.0,10,completed
"""

RPO = """
run,point,replication,resource,action,disaster_s,recovery_point_s,rpo_s,lost_bytes
0,0,0,web-vol,volume-snapshot,540.0,100.0,440.0,10
1,0,1,web-vol,volume-snapshot,540.0,-1,540.0,10
2,1,0,web-vol,volume-replication,540.0,539.0,1.0,10
3,1,1,web-vol,volume-replication,540.0,537.0,3.0,10
"""

RECOVERY = """
run,point,replication,disaster_s,detected_s,notified_s,recovery_started_s,recovered_s,responsive_s,redirected_s,rto_s,kind,policy,status,reason,downtime_s
0,0,0,540.0,541.0,541.5,543.5,600.0,610.0,541.0,70.0,failover,p,recovered,,nan
1,0,1,540.0,541.0,541.5,543.5,,,541.0,460.0,failover,p,censored,run ended during stack-create,nan
2,1,0,540.0,542.0,542.5,544.5,560.0,570.0,541.0,30.0,failover,p,recovered,,nan
3,1,1,540.0,541.0,541.5,543.5,,,541.0,nan,failover,p,failed,stack create timeout,nan
"""

TRAFFIC = """
run,point,replication,t_s,class,bytes,cum_bytes,rate_bps,direction
0,0,0,0.0,snapshot,62500000,62500000,500000000,umea->lulea
0,0,0,10.0,snapshot,62500000,125000000,500000000,umea->lulea
1,0,1,0.0,snapshot,125000000,125000000,1000000000,umea->lulea
2,1,0,0.0,replication,0,0,0,umea->lulea
3,1,1,0.0,replication,0,0,0,umea->lulea
"""

WRITES = """
run,point,replication,t_s,vm,requested_bytes,completed_bytes,throttled_s,throttled_share,latency_mean_s,latency_p99_s
0,0,0,0.0,web,1000,1000,100.0,0.1,0.01,0.02
0,0,0,10.0,web,1000,1000,100.0,0.1,0.01,0.05
1,0,1,0.0,web,1000,1000,0.0,0.0,0.01,0.01
"""

SUMMARY = """
run,point,replication,table,column,replications,mean,sd,ci95_low,ci95_high,ci99_low,ci99_high
all,0,all,rpo,rpo_s,2,490,70.7,-145,1125,nan,nan
all,1,all,rpo,rpo_s,2,2,1.41,-10.7,14.7,nan,nan
"""


def dr_set(folder: Path) -> Path:
    return write_set(folder, {"runs": RUNS, "points": POINTS, "protection": PROTECTION, "rpo": RPO,
                              "recovery": RECOVERY, "traffic": TRAFFIC, "writes": WRITES,
                              "rpo_summary": SUMMARY})
