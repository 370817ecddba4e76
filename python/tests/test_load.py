"""drlsim.load on synthetic result sets with known answers."""

import math

import numpy as np
import pandas as pd
import pytest

import drlsim
from synthetic import POINTS, RPO, RUNS, SUMMARY, dr_set, write_set


def test_tables_are_typed_and_swept_keys_joined(tmp_path):
    rs = drlsim.load(dr_set(tmp_path / "set"))
    assert set(rs) >= {"runs", "points", "protection", "rpo", "recovery", "traffic", "writes", "rpo_summary"}
    rpo = rs["rpo"]
    # swept keys right after replication, numbers in base units from points.csv
    assert list(rpo.columns[:5]) == ["run", "point", "replication", "wan.rate", "protection.policy"]
    assert rpo["wan.rate"].tolist() == [1e8, 1e8, 1e9, 1e9]
    assert rpo["wan.rate"].dtype == np.float64
    assert rpo["protection.policy"].tolist() == ["snapshot", "snapshot", "replication", "replication"]
    assert rpo["rpo_s"].dtype == np.float64 and rpo["rpo_s"].sum() == 984.0
    assert rpo["run"].dtype == np.int64
    # runs.csv's as-written column replaced by the typed one
    assert rs["runs"]["wan.rate"].tolist() == [1e8, 1e8, 1e9, 1e9]
    assert rs.swept == ["wan.rate", "protection.policy"]
    assert rs.units == {"wan.rate": "bit/s", "protection.policy": None}
    assert rs.point_label(1) == "wan.rate=1gbit, protection.policy=replication"
    assert rs.manifest["replications"] == 2 and rs.manifest["format"] == 2


def test_all_is_minus_one_and_nan_cells(tmp_path):
    rs = drlsim.load(dr_set(tmp_path / "set"))
    s = rs["rpo_summary"]
    assert s["run"].tolist() == [drlsim.ALL, drlsim.ALL] == [-1, -1]
    assert s["replication"].tolist() == [-1, -1]
    assert s["wan.rate"].tolist() == [1e8, 1e9]
    assert math.isnan(s["ci99_low"].iloc[0])
    rec = rs["recovery"]
    assert math.isnan(rec["responsive_s"].iloc[1])   # empty cell
    assert math.isnan(rec["rto_s"].iloc[3])          # "nan"
    assert rec["reason"].iloc[1] == "run ended during stack-create"


def test_plain_integer_key_is_int(tmp_path):
    points = POINTS.replace("wan.rate,100mbit,100000000,bit/s", "workload.vms[0].queue_depth,1,1,") \
                   .replace("wan.rate,1gbit,1000000000,bit/s", "workload.vms[0].queue_depth,4,4,")
    rs = drlsim.load(write_set(tmp_path / "s", {"runs": RUNS, "points": points, "rpo": RPO}))
    assert rs["rpo"]["workload.vms[0].queue_depth"].tolist() == [1, 1, 4, 4]
    assert rs["rpo"]["workload.vms[0].queue_depth"].dtype == np.int64
    assert rs.units["workload.vms[0].queue_depth"] == ""


def test_format_1_without_points_keeps_written_values(tmp_path):
    rs = drlsim.load(write_set(tmp_path / "old", {"runs": RUNS, "rpo": RPO}, fmt=1))
    assert rs["rpo"]["wan.rate"].tolist() == ["100mbit", "100mbit", "1gbit", "1gbit"]
    assert rs.swept == ["wan.rate", "protection.policy"]


def test_header_only_table(tmp_path):
    rs = drlsim.load(write_set(tmp_path / "s", {"runs": RUNS, "points": POINTS,
                                                "shaping": "run,point,replication,t_s,class,rate_bps,ceil_bps"}))
    assert len(rs["shaping"]) == 0
    assert "wan.rate" in rs["shaping"].columns and "rate_bps" in rs["shaping"].columns


def test_unswept_set(tmp_path):
    runs = "run,point,replication,scenario,seed,duration_s,events\n0,0,0,x,1,10.0,5"
    rs = drlsim.load(write_set(tmp_path / "s", {"runs": runs}))
    assert rs.swept == [] and list(rs["runs"].columns) == list(drlsim.results.RUNS_FIXED)


@pytest.mark.parametrize("first", ["format: drlsim-results 3", "hello", ""])
def test_refuses_a_foreign_manifest(tmp_path, first):
    folder = dr_set(tmp_path / "set")
    text = (folder / "manifest.txt").read_text().split("\n", 1)[1]
    (folder / "manifest.txt").write_text(first + "\n" + text)
    with pytest.raises(drlsim.ResultSetError, match="not a drlsim result set"):
        drlsim.load(folder)


def test_refuses_a_folder_without_manifest(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(drlsim.ResultSetError, match="no manifest.txt"):
        drlsim.load(tmp_path / "x")
    with pytest.raises(drlsim.ResultSetError, match="not a folder"):
        drlsim.load(tmp_path / "missing")


def test_read_points_without_points_csv_falls_back_to_runs(tmp_path):
    """Sets written before points.csv: the swept runs.csv columns, as written (no unit tables)."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "runs.csv").write_text(
        "run,point,replication,scenario,seed,duration_s,events,wan.rate,protection.interval\n"
        "0,0,0,s,1,600,10,500mbit,60\n1,1,0,s,1,600,10,50mbit,120\n")
    swept, units, points, written = drlsim.read_points(folder)
    assert swept == ["wan.rate", "protection.interval"]
    assert units == {"wan.rate": None, "protection.interval": ""}
    assert points["wan.rate"].tolist() == ["500mbit", "50mbit"]
    assert points["protection.interval"].tolist() == [60, 120]
    assert written[1] == {"wan.rate": "50mbit", "protection.interval": "120"}
    joined = drlsim.join_points(pd.DataFrame({"run": [1, 0], "point": [1, 0], "replication": [0, 0],
                                              "x": [7.0, 8.0]}), points, swept)
    assert list(joined.columns) == ["run", "point", "replication", "wan.rate",
                                    "protection.interval", "x"]
    assert joined["protection.interval"].tolist() == [120, 60]
