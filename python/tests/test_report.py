"""drlsim.report on synthetic result sets: hand-derived table values, files, data safety."""

import os

import pytest

import drlsim
from drlsim import report
from synthetic import RUNS, dr_set, write_set


def rows(tables, title_part, **match):
    t = next(t for t in tables if title_part in t.title)
    return [r for r in t.rows if all(str(r.get(k)) == str(v) for k, v in match.items())]


@pytest.fixture
def rs(tmp_path):
    return drlsim.load(dr_set(tmp_path / "set"))


def test_protection_censored_and_aborted(rs):
    (r,) = rows(report.protection_tables(rs), "Protection", point=0, action="volume-snapshot")
    # finished 100, 200; censored 50 (status censored) and 30 (old format: aborted at the run's
    # end); the 0-second stub at the end dropped; the disaster's abort counted only
    assert (r["n"], r["censored"], r["aborted"], r["runs"]) == (2, 2, 1, 2)
    assert r["mean"] == "150" and r["p50"] == "150"
    assert r["≥ mean"] == "≥ 95"          # (100 + 200 + 50 + 30) / 4
    assert r[""] == "†"                    # 2 samples < 5
    (e,) = rows(report.protection_tables(rs), "Protection", point=0, action="(execution)")
    assert (e["n"], e["censored"], e["aborted"], e["mean"]) == (2, 2, 1, "150")


def test_rto_and_phases(rs):
    t = report.rto_tables(rs)
    (r0,) = rows(t, "RTO", point=0, metric="rto")
    assert (r0["n"], r0["censored"], r0["failed"], r0["mean"], r0["≥ mean"]) == (1, 1, 0, "70", "≥ 265")
    (r1,) = rows(t, "RTO", point=1, metric="rto")
    assert (r1["n"], r1["censored"], r1["failed"], r1["mean"]) == (1, 0, 1, "30")
    expected = {"detection": "1", "notification": "0.5", "until start": "2", "recovery": "56.5", "responsive": "10"}
    for metric, mean in expected.items():
        (p,) = rows(t, "RTO", point=0, metric=metric)
        assert (p["n"], p["mean"]) == (1, mean), metric


def test_rpo_traffic_writes(rs):
    (r,) = rows(report.rpo_tables(rs), "RPO", point=0)
    assert (r["n"], r["mean"], r["unrecoverable"]) == (2, "490", 1)
    tr = report.traffic_tables(rs)
    (rate,) = rows(tr, "Traffic", point=0, metric="rate Mbit/s")
    assert rate["mean"] == "1" and rate["n"] == 2          # 125 MB x 8 / 1000 s = 1 Mbit/s per run
    assert rows(tr, "Traffic", point=1) == []               # replication sent nothing
    w = report.writes_tables(rs)
    (th,) = rows(w, "Write", point=0, metric="throttled share")
    assert th["mean"] == "0.1"                               # runs: 200/1000 and 0/1000
    (lat,) = rows(w, "Write", point=0, metric="latency p99 s (largest bin)")
    assert lat["mean"] == "0.03"                             # max per run: 0.05 and 0.01


def test_report_files(tmp_path):
    folder = dr_set(tmp_path / "set")
    out = report.write(folder)
    assert out == (tmp_path / "set-report").resolve()
    md = (out / "report.md").read_text()
    assert md.splitlines()[0] == report.MARKER
    names = sorted(os.listdir(out))
    assert names == sorted(["report.md", "report.html", "rpo_cdf.png", "rto_breakdown.png", "traffic.png",
                            "protection_timeline.png"])    # no replication.csv: no lag figure
    for png in (n for n in names if n.endswith(".png")):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({png})" in md
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 4
    assert "wan.rate" in md and "1gbit" in md
    # a second report replaces the first
    assert report.write(folder) == out


def test_a_set_without_dr_tables(tmp_path):
    folder = write_set(tmp_path / "q", {"runs": RUNS, "queue": "run,point,replication,mean_wait_s\n0,0,0,1.0"})
    out = report.write(folder, tmp_path / "r")
    md = (out / "report.md").read_text()
    assert "No DR tables" in md and sorted(os.listdir(out)) == ["report.html", "report.md"]
    summary = ("run,point,replication,table,column,replications,mean,sd,ci95_low,ci95_high,ci99_low,ci99_high\n"
               "all,0,all,queue,wq_s,2,4.5,0.5,0.01,8.99,nan,nan\n")
    (folder / "queue_summary.csv").write_text(summary)
    (t,) = report.summary_tables(drlsim.load(folder))
    assert t.rows[0]["mean"] == "4.5" and t.rows[0]["replications"] == 2 and t.rows[0][""] == "†"
    assert t.rows[0]["wan.rate"] == "100mbit"


def test_out_safety(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = dr_set(tmp_path / "set")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(report.ReportError, match="not a previous drlsim report"):
        report.write(folder, mine)
    assert os.listdir(mine) == ["notes.txt"]
    # a previous report plus a file of the user's is not replaced either
    prev = report.write(folder, tmp_path / "prev")
    (prev / "notes.txt").write_text("mine")
    with pytest.raises(report.ReportError):
        report.write(folder, prev)
    assert (prev / "notes.txt").read_text() == "mine"
    for bad in (folder, folder / "sub", tmp_path, tmp_path / ".."):
        with pytest.raises(report.ReportError):
            report.write(folder, bad)
    with pytest.raises(report.ReportError, match="no manifest"):
        report.write(tmp_path / "mine", tmp_path / "x")
    assert not (tmp_path / "x").exists()
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []   # no temporary leftovers


def test_main_exit_codes(tmp_path, capsys):
    folder = dr_set(tmp_path / "set")
    assert report.main([str(folder), "--out", str(tmp_path / "r")]) == 0
    assert report.main([str(tmp_path / "nothing"), "--out", str(tmp_path / "r2")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("drlsim report: ")


DR_SUMMARY = """
run,point,replication,metric,group,n,censored,mean,p50,p95,max,ci95_low,ci95_high,lower_bound_mean,km_median
all,0,all,protection.duration_s,action=volume-snapshot,2,2,150,150,195,200,-485,785,95,200
all,0,all,recovery.rto_s,kind=failover,1,1,70,70,70,70,nan,nan,265,inf
all,1,all,rpo.rpo_s,action=volume-replication,2,0,2,2,2.9,3,-10.7,14.7,2,1
"""


def test_crosscheck_with_dr_summary(tmp_path):
    folder = dr_set(tmp_path / "set")
    (folder / "dr_summary.csv").write_text(DR_SUMMARY.strip() + "\n")
    assert "all 3 groups agree" in report.crosscheck(drlsim.load(folder))
    (folder / "dr_summary.csv").write_text(DR_SUMMARY.replace(",2,2,150,", ",2,2,151,").strip() + "\n")
    text = report.crosscheck(drlsim.load(folder))
    assert "1 of 3 groups differ" in text and "protection.duration_s" in text
    assert report.crosscheck(drlsim.load(dr_set(tmp_path / "plain"))) is None


def test_rpo_per_vm_in_the_newer_format(tmp_path):
    # rpo.csv with kind, vm, vm_rpo_s (Docs/statistics.md): one sample per disaster and VM
    rpo = """
run,point,replication,resource,action,disaster_s,recovery_point_s,rpo_s,lost_bytes,kind,vm,vm_rpo_s
0,0,0,web,image-copy,540.0,300.0,240.0,0,vm,web,4.0
0,0,0,web-vol,volume-replication,540.0,536.0,4.0,10,volume,web,4.0
1,0,1,web,image-copy,540.0,300.0,240.0,0,vm,web,6.0
1,0,1,web-vol,volume-replication,540.0,534.0,6.0,10,volume,web,6.0
"""
    from synthetic import POINTS, RUNS
    rs = drlsim.load(write_set(tmp_path / "s", {"runs": RUNS, "points": POINTS, "rpo": rpo}))
    (vm,) = rows(report.rpo_tables(rs), "per VM", point=0)
    assert (vm["vm"], vm["n"], vm["mean"]) == ("web", 2, "5")      # not the image copy's 240 s
    (ic,) = rows(report.rpo_tables(rs), "per protection action", point=0, action="image-copy")
    assert ic["mean"] == "240"


def test_a_broken_table_is_left_out_not_fatal(tmp_path, capsys):
    # traffic.csv without bytes and rate columns: its table and figure are left out, the rest is written
    folder = dr_set(tmp_path / "set")
    (folder / "traffic.csv").write_text("run,point,replication,t_s,class\n0,0,0,0.0,snapshot\n")
    out = report.write(folder, tmp_path / "r")
    md = (out / "report.md").read_text()
    assert "traffic tables left out: KeyError" in md and "## RPO (s)" in md
    assert "warning: traffic tables left out" in capsys.readouterr().err
