"""Through the real binary (skipped when no drlsim is found: $DRLSIM, PATH, .build/{release,debug})."""

import os
import stat
import subprocess
import sys

import pytest

import drlsim
from drlsim import report

try:
    BINARY = drlsim.find_binary()
except FileNotFoundError:
    BINARY = None

needs_binary = pytest.mark.skipif(BINARY is None, reason="drlsim binary not built")

QUEUE = {
    "schema": 1, "name": "py-queue", "seed": 3, "replications": 2,
    "queue": {"arrival": {"type": "exponential", "mean": "2s"}, "service": "1s",
              "customers": 2000, "warmup": 100},
    "sweep": {"queue.service": ["500ms", "1s"]},
}


@needs_binary
def test_run_dict_scenario_typed_sweep(tmp_path):
    rs = drlsim.run(QUEUE, out=tmp_path / "q", set={"queue.customers": 1000})
    assert rs.manifest["scenario"] == "py-queue" and rs.manifest["format"] == 2
    assert rs.swept == ["queue.service"] and rs.units["queue.service"] == "s"
    runs = rs["runs"]
    assert runs["queue.service"].tolist() == [0.5, 0.5, 1.0, 1.0]   # from points.csv, seconds
    assert runs["replication"].tolist() == [0, 1, 0, 1]
    q = rs["queue"]
    # M/D/1 with lambda = 0.5/s: rho = 0.25 and 0.5; Pollaczek-Khinchine Wq = rho / (2 mu (1 - rho))
    theory = q.groupby("queue.service")["wq_theory_s"].first()
    assert theory.loc[0.5] == pytest.approx(0.25 / (2 * 2 * 0.75))
    assert theory.loc[1.0] == pytest.approx(0.5 / (2 * 1 * 0.5))
    assert q["wq_s"].dtype.kind == "f" and q["customers"].dtype.kind == "i"
    summary = rs["queue_summary"]
    assert summary["run"].tolist() == [-1, -1] and summary["queue.service"].tolist() == [0.5, 1.0]


@needs_binary
def test_run_reports_drlsim_errors(tmp_path):
    bad = dict(QUEUE, queue=dict(QUEUE["queue"], arrival={"type": "exponential", "mean": "1 parsec"}))
    with pytest.raises(drlsim.DRLSimError) as err:
        drlsim.run(bad, out=tmp_path / "bad")
    assert err.value.args[1] == 2 and "queue.arrival" in err.value.args[0]
    assert not (tmp_path / "bad").exists()


@needs_binary
def test_drlsim_report_subcommand(tmp_path):
    drlsim.run(QUEUE, out=tmp_path / "q")
    env = dict(os.environ, DRLSIM_PYTHON=sys.executable)
    p = subprocess.run([BINARY, "report", str(tmp_path / "q"), "--out", str(tmp_path / "r")],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "r" / "report.md").read_text().startswith(report.MARKER)
    # a folder of the user's is refused: exit 2, one line, nothing touched
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    p = subprocess.run([BINARY, "report", str(tmp_path / "q"), "--out", str(tmp_path / "mine")],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]


@needs_binary
def test_drlsim_report_without_the_package(tmp_path):
    # a Python that lacks the package answers as python3 does
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho \"$0: Error while finding module specification for 'drlsim.report' "
                    "(ModuleNotFoundError: No module named 'drlsim')\" >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    p = subprocess.run([BINARY, "report", str(tmp_path)], capture_output=True, text=True,
                       env=dict(os.environ, DRLSIM_PYTHON=str(fake)))
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install ./python" in lines[0] and "'drlsim'" in lines[0]
