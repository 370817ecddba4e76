"""Writes small synthetic result sets, shaped exactly like ``drlsim run`` output, so the notebooks
can be executed and tested without the simulator.

    python Notebooks/tests/make_synthetic.py OUT_RESULTS_DIR

creates ``OUT_RESULTS_DIR/paper/<scenario>/*.csv`` for the five paper scenarios. The numbers come
from a toy fluid model of the WAN (processor sharing, 1-s steps) and toy recovery times, chosen
so the figures look like the paper's; they are NOT simulation results. Columns follow the CSV
contract (interface.md): every file starts with ``run, point, replication``; ``runs.csv`` then
has ``scenario, seed, duration_s, events`` and one column per swept key, named by the key path
and holding the value as spelled in the scenario file (``5GiB``, ``500mbit``, ``5min``).
"""

from __future__ import annotations

import csv
import itertools
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

GIB = 2**30
IMAGE_BYTES = 190e6  # the paper's VM image: "less than 200MB"
DURATION_S = 1800  # 30 min runs
WARMUP_S = 300

RUNS_COLS = ["run", "point", "replication", "scenario", "seed", "duration_s", "events"]
PROTECTION_COLS = ["run", "point", "replication", "execution", "resource", "kind", "action",
                   "start_s", "end_s", "duration_s", "bytes", "status"]
TRAFFIC_COLS = ["run", "point", "replication", "t_s", "class", "bytes", "cum_bytes", "rate_bps"]
RECOVERY_COLS = ["run", "point", "replication", "disaster_s", "detected_s", "notified_s",
                 "recovery_started_s", "recovered_s", "responsive_s", "redirected_s", "rto_s"]
REPLICATION_COLS = ["run", "point", "replication", "t_s", "resource", "state", "drbd_state",
                    "lag_s", "backlog_bytes", "sent_bytes", "written_bytes", "eta_synced_s"]
STORAGE_COLS = ["run", "point", "replication", "t_s", "site", "container_kind", "containers",
                "objects", "stored_bytes", "logical_bytes", "recovery_points"]
RPO_COLS = ["run", "point", "replication", "resource", "action", "disaster_s",
            "recovery_point_s", "rpo_s", "lost_bytes"]
WRITES_COLS = ["run", "point", "replication", "t_s", "vm", "requested_bytes", "completed_bytes",
               "writes", "throttled_s", "throttled_share", "latency_mean_s", "latency_p99_s"]

#: Sweep keys (runs.csv column names) the paper scenarios are assumed to use.
SIZE_KEY = "workload.vms[0].volume.size"
RATE_KEY = "wan.rate"
POLICY_KEY = "protection.policy"
INTERVAL_KEY = "protection.interval"

#: Volume sizes of the synthetic Fig. 8-10 sensitivity study (studies/fig8-10-sensitivity).
SENSITIVITY_SIZES = ["1GiB", "2GiB", "5GiB"]

UNITS = {"GiB": GIB, "mbit": 1e6, "gbit": 1e9, "min": 60.0}


def value_of(text: str) -> float:
    """Number of a scenario spelling used here (``5GiB``, ``500mbit``, ``5min``)."""
    for unit, factor in UNITS.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def fmt(x) -> str:
    if isinstance(x, (float, np.floating)):
        return repr(round(float(x), 6))
    return str(x)


class Table:
    """Rows of one CSV file."""

    def __init__(self, columns: list[str]):
        self.columns = columns
        self.rows: list[list] = []

    def add(self, *values) -> None:
        assert len(values) == len(self.columns), (values, self.columns)
        self.rows.append(list(values))

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(self.columns)
            for r in self.rows:
                w.writerow([fmt(v) for v in r])


@dataclass
class Job:
    """A transfer in the fluid WAN model."""

    cls: str
    remaining: float
    ready_at: float  # snapshot-taking time before sending starts
    on_done: object = None


@dataclass
class FluidRun:
    """One run of the toy WAN: per-second bytes per class and protection action records."""

    rate_bps: float
    policy: str
    volume_bytes: float
    interval_s: float
    rng: np.random.Generator
    duration: int = DURATION_S
    first_action_s: float = 30.0
    traffic: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    backlog: np.ndarray | None = None  # DRBD backlog (bytes) at the end of each second
    written: np.ndarray | None = None  # bytes written to the DRBD volume in each second

    def run(self) -> None:
        cap = self.rate_bps / 8.0
        classes = ("replication", "snapshot", "image", "metadata", "application", "detector")
        self.traffic = {c: np.zeros(self.duration) for c in classes}
        # Video transcoder writes: bursts of 60-120 s at 4-6 MB/s with 60-150 s pauses.
        writes = np.zeros(self.duration)
        t = 0
        while t < self.duration:
            on = int(self.rng.integers(60, 121))
            off = int(self.rng.integers(60, 151))
            writes[t:t + on] = self.rng.uniform(4e6, 6e6)
            t += on + off
        backlog = 0.0  # DRBD send buffer + activity log, protocol A
        self.backlog = np.zeros(self.duration)
        self.written = np.zeros(self.duration)
        jobs: list[Job] = []
        starts = np.arange(self.first_action_s, self.duration, self.interval_s)
        execution = 0
        for sec in range(self.duration):
            for start in starts[(starts >= sec) & (starts < sec + 1)]:
                jobs += self._start_execution(execution, float(start), backlog, cap)
                execution += 1
            if self.policy == "replication":
                backlog += writes[sec]
            # Processor sharing with water-filling among the flows that can send.
            flows: list[tuple[str, object]] = []
            if backlog > 0:
                flows.append(("replication", None))
            flows += [(j.cls, j) for j in jobs if j.ready_at <= sec and j.remaining > 0]
            left = cap
            demands = sorted(flows, key=lambda f: backlog if f[1] is None else f[1].remaining)
            for i, (cls, job) in enumerate(demands):
                share = left / (len(demands) - i)
                want = backlog if job is None else job.remaining
                got = min(share, want)
                left -= got
                self.traffic[cls][sec] += got
                if job is None:
                    backlog -= got
                else:
                    job.remaining -= got
                    if job.remaining <= 1e-6:
                        frac = got / share if share > 0 else 1.0
                        job.on_done(sec + min(frac, 1.0))
            jobs = [j for j in jobs if j.remaining > 1e-6]
            self.backlog[sec] = backlog
            self.written[sec] = writes[sec] if self.policy == "replication" else 0.0
            self.traffic["application"][sec] = 2.0e5
            self.traffic["detector"][sec] = 120.0

    def _start_execution(self, execution: int, start: float, backlog: float, cap: float):
        rng = self.rng
        self.traffic["metadata"][int(start)] += 5.0e4
        if self.policy == "snapshot":
            vm = {"execution": execution, "resource": "transcoder", "kind": "vm",
                  "action": "vm-snapshot", "start_s": start, "bytes": IMAGE_BYTES}
            vol = {"execution": execution, "resource": "transcoder-volume", "kind": "volume",
                   "action": "volume-snapshot", "bytes": self.volume_bytes}
            self.actions += [vm, vol]
            vol_job = Job("snapshot", self.volume_bytes, math.inf)

            def vm_done(t, vm=vm, vol=vol, vol_job=vol_job):
                vm["end_s"] = t
                vol["start_s"] = t
                vol_job.ready_at = t + rng.uniform(8, 12)  # take the volume snapshot

            def vol_done(t, vol=vol):
                vol["end_s"] = t

            vol_job.on_done = vol_done
            vm_job = Job("snapshot", IMAGE_BYTES, start + rng.uniform(12, 18), vm_done)
            return [vm_job, vol_job]
        img = {"execution": execution, "resource": "transcoder", "kind": "vm",
               "action": "image-copy", "start_s": start, "bytes": IMAGE_BYTES}
        lag = backlog / cap
        vol = {"execution": execution, "resource": "transcoder-volume", "kind": "volume",
               "action": "volume-replication", "start_s": start,
               "end_s": start + 0.05 + rng.uniform(0, 0.1), "bytes": 0.0,
               "lag_s": lag}
        self.actions += [img, vol]

        def img_done(t, img=img):
            img["end_s"] = t

        return [Job("image", IMAGE_BYTES, start + rng.uniform(0.5, 1.5), img_done)]


def _protection_rows(table: Table, key: tuple, actions: list, duration: float) -> None:
    starts = sorted({a["start_s"] for a in actions if a.get("kind") == "vm"})
    for a in sorted(actions, key=lambda a: (a["execution"], a["kind"] != "vm")):
        end = a.get("end_s", math.nan)
        start = a.get("start_s", math.nan)
        if not math.isfinite(end):
            # Cut off by the run's end (Docs/statistics.md): censored, elapsed time as its
            # duration; an action due at or after the end is not a row.
            if not math.isfinite(start) or start >= duration:
                continue
            end, status = float(duration), "censored"
        else:
            nxt = [s for s in starts if s > start]
            status = "overlapped" if nxt and end > nxt[0] else "completed"
        table.add(*key, a["execution"], a["resource"], a["kind"], a["action"], start,
                  end if math.isfinite(end) else "", (end - start) if math.isfinite(end) else "",
                  a["bytes"], status)


def _traffic_rows(table: Table, key: tuple, traffic: dict, bin_s: int) -> None:
    n = len(next(iter(traffic.values())))
    cum = {c: 0.0 for c in traffic}
    for b in range(0, n, bin_s):
        for cls, series in traffic.items():
            got = float(series[b:b + bin_s].sum())
            cum[cls] += got
            if cls == "metadata" and got == 0:
                continue  # sparse class: a recorder may write no row for an empty bin
            table.add(*key, float(b), cls, got, cum[cls], got * 8.0 / bin_s)


def _replication_rows(table: Table, key: tuple, fr: "FluidRun", bin_s: int) -> None:
    """DRBD rows every ``bin_s`` for a replication run (none for snapshots): lag = backlog /
    link rate, the time the backlog needs to drain."""
    if fr.policy != "replication":
        return
    cap = fr.rate_bps / 8.0
    written = np.cumsum(fr.written)
    for b in range(0, fr.duration, bin_s):
        backlog = float(fr.backlog[b])
        lag = backlog / cap
        table.add(*key, float(b), "transcoder-volume", "backlog" if backlog > 4e6 else "continuous",
                  "Established", lag, backlog, float(written[b]) - backlog, float(written[b]),
                  lag if backlog > 0 else 0.0)


def _writes_rows(table: Table, key: tuple, fr: "FluidRun", bin_s: int) -> None:
    """writes.csv every ``bin_s``: a VM snapshot halves the VM's speed while it runs (the
    application waits half the time in those bins), nothing else throttles it."""
    snaps = [(a["start_s"], a.get("end_s", math.inf)) for a in fr.actions if a["action"] == "vm-snapshot"]
    for b in range(0, fr.duration, bin_s):
        busy = any(s < b + bin_s and e > b for s, e in snaps)
        share = 0.5 if busy else 0.0
        req = 2.5e6 * bin_s
        table.add(*key, float(b), "transcoder", req, req * (1 - share), 10, share * bin_s, share,
                  0.01, 0.02)


def _storage_rows(table: Table, key: tuple, actions: list) -> None:
    """One vault row per finished action: executions accumulate, nothing is deleted."""
    stored, points, containers = 0.0, 0, set()
    for a in sorted((a for a in actions if math.isfinite(a.get("end_s", math.nan))),
                    key=lambda a: a["end_s"]):
        stored += a["bytes"]
        containers.add(a["execution"])
        if a["kind"] == "volume" or a["action"] == "image-copy":
            points = len(containers)
        table.add(*key, round(a["end_s"], 6), "lulea", "execution", len(containers),
                  len(containers) * 2, 3 * stored, stored, points)


@dataclass
class Sweep:
    scenario: str
    keys: list[str]
    values: list[list[str]]
    replications: int
    seed: int

    def runs(self):
        """(run, point, replication, {key: value}) in point-major order."""
        run = 0
        for point, combo in enumerate(itertools.product(*self.values)):
            for rep in range(self.replications):
                yield run, point, rep, dict(zip(self.keys, combo))
                run += 1


def _runs_table(sweep: Sweep) -> Table:
    return Table(RUNS_COLS + sweep.keys)


def fluid_scenario(out: Path, sweep: Sweep, tables: tuple[str, ...], bin_s: int = 1,
                   default_size: str = "2GiB", default_rate: str = "1gbit",
                   result_set: str = "paper") -> None:
    runs = _runs_table(sweep)
    prot = Table(PROTECTION_COLS)
    traffic = Table(TRAFFIC_COLS)
    repl = Table(REPLICATION_COLS)
    storage = Table(STORAGE_COLS)
    writes = Table(WRITES_COLS)
    for run, point, rep, params in sweep.runs():
        rng = np.random.default_rng([sweep.seed, point, rep])
        fr = FluidRun(rate_bps=value_of(params.get(RATE_KEY, default_rate)),
                      policy=params[POLICY_KEY],
                      volume_bytes=value_of(params.get(SIZE_KEY, default_size)),
                      interval_s=300.0, rng=rng)
        fr.run()
        key = (run, point, rep)
        runs.add(*key, sweep.scenario, sweep.seed, float(DURATION_S), 100000 + run,
                 *[params[k] for k in sweep.keys])
        _protection_rows(prot, key, fr.actions, DURATION_S)
        if "traffic" in tables:
            _traffic_rows(traffic, key, fr.traffic, bin_s)
        if "replication" in tables:
            _replication_rows(repl, key, fr, 10)
            _storage_rows(storage, key, fr.actions)
            _writes_rows(writes, key, fr, 10)
    folder = out / result_set / sweep.scenario
    runs.write(folder / "runs.csv")
    prot.write(folder / "protection.csv")
    if "traffic" in tables:
        traffic.write(folder / "traffic.csv")
    if "replication" in tables:
        repl.write(folder / "replication.csv")
        storage.write(folder / "storage.csv")
        writes.write(folder / "writes.csv")


def recovery_times(rng: np.random.Generator, policy: str, size_bytes: float,
                   disaster: float) -> list[float]:
    """disaster, detected, notified, recovery_started, recovered, responsive, redirected, rto."""
    gib = size_bytes / GIB
    detected = disaster + rng.normal(0.5, 0.05)
    notified = detected + rng.uniform(0.1, 0.3)
    started = notified + rng.uniform(1.5, 2.5)
    if policy == "replication":
        recovery = rng.normal(22.0, 2.0) + 0.2 * gib
    else:
        recovery = rng.normal(35.0, 3.0) + 45.0 * gib
    recovered = started + recovery
    responsive = recovered + rng.uniform(4.0, 8.0)
    redirected = recovered + rng.uniform(0.2, 0.6)
    return [disaster, detected, notified, started, recovered, responsive, redirected,
            responsive - disaster]


def recovery_scenario(out: Path, sweep: Sweep) -> None:
    runs = _runs_table(sweep)
    rec = Table(RECOVERY_COLS)
    for run, point, rep, params in sweep.runs():
        rng = np.random.default_rng([sweep.seed, point, rep])
        key = (run, point, rep)
        runs.add(*key, sweep.scenario, sweep.seed, float(DURATION_S), 50000 + run,
                 *[params[k] for k in sweep.keys])
        rec.add(*key, *recovery_times(rng, params[POLICY_KEY], value_of(params[SIZE_KEY]), 1500.0))
    folder = out / "paper" / sweep.scenario
    runs.write(folder / "runs.csv")
    rec.write(folder / "recovery.csv")


def montecarlo_scenario(out: Path, sweep: Sweep) -> None:
    """Disaster at a uniform time in [warm-up, duration]; RPO of the VM and its volume."""
    runs = _runs_table(sweep)
    rec = Table(RECOVERY_COLS)
    rpo = Table(RPO_COLS)
    writes = Table(WRITES_COLS)
    write_rate = 2.5e6  # bytes/s, the transcoder's average
    for run, point, rep, params in sweep.runs():
        rng = np.random.default_rng([sweep.seed, point, rep])
        key = (run, point, rep)
        policy = params[POLICY_KEY]
        rate = value_of(params[RATE_KEY])
        interval = value_of(params[INTERVAL_KEY])
        size = value_of(params[SIZE_KEY])
        u = rng.uniform(WARMUP_S, DURATION_S)
        runs.add(*key, sweep.scenario, sweep.seed, float(DURATION_S), 20000 + run,
                 *[params[k] for k in sweep.keys])
        rec.add(*key, *recovery_times(rng, policy, size, u))
        # VM image: image copy or VM snapshot every interval, taking `d` seconds.
        vm_action = "image-copy" if policy == "replication" else "vm-snapshot"
        d_vm = IMAGE_BYTES * 8 / rate + (1.0 if policy == "replication" else 15.0)
        vol_action = "volume-replication" if policy == "replication" else "volume-snapshot"
        if policy == "replication":
            lag = rng.exponential(1.0 + 300e6 * 8 / rate)  # burst backlog drain time
            vol_point = u - lag
        else:
            d_vol = d_vm + 10.0 + size * 8 / rate
            vol_point = _newest_done(u, interval, d_vol)
        # writes.csv: DRBD (on_congestion: block) holds the writer back more the lower the
        # bandwidth (share = 20 Mbit/s / rate, at most 0.5); snapshots only during VM snapshots.
        share = min(0.5, 20e6 / rate) if policy == "replication" else 0.01
        for b in range(0, DURATION_S, 600):
            req = write_rate * 600
            writes.add(*key, float(b), "transcoder", req, req * (1 - share), 100, share * 600, share,
                       0.01, 0.05)
        for resource, action, point_s in (
                ("transcoder", vm_action, _newest_done(u, interval, d_vm)),
                ("transcoder-volume", vol_action, vol_point)):
            age = u - point_s
            rpo.add(*key, resource, action, u, point_s, age,
                    age * write_rate if resource.endswith("volume") else 0.0)
    folder = out / "paper" / sweep.scenario
    runs.write(folder / "runs.csv")
    rec.write(folder / "recovery.csv")
    rpo.write(folder / "rpo.csv")
    writes.write(folder / "writes.csv")


def _newest_done(u: float, interval: float, duration: float) -> float:
    """Start of the newest action (every `interval` from 0) finished by `u`; 0 if none."""
    if u < duration:
        return 0.0
    return math.floor((u - duration) / interval) * interval


def write_all(out: str | Path, replications: int = 2, mc_replications: int = 12) -> Path:
    """Writes every synthetic paper result set under ``out`` and returns ``out``."""
    out = Path(out)
    pol = ["snapshot", "replication"]
    fluid_scenario(out, Sweep("fig7-protection-vs-volume-size", [SIZE_KEY, POLICY_KEY],
                              [["1GiB", "5GiB", "10GiB"], pol], replications, 7),
                   ("runs", "protection"))
    fluid_scenario(out, Sweep("fig8-protection-vs-bandwidth", [RATE_KEY, POLICY_KEY],
                              [["500mbit", "100mbit", "50mbit"], pol], replications, 8),
                   ("runs", "protection"))
    fluid_scenario(out, Sweep("fig9-traffic", [RATE_KEY, POLICY_KEY],
                              [["500mbit", "100mbit", "50mbit"], pol], replications, 9),
                   ("runs", "protection", "traffic", "replication"))
    recovery_scenario(out, Sweep("fig11-recovery", [POLICY_KEY, SIZE_KEY],
                                 [pol, ["1GiB", "5GiB"]], max(replications, 3), 11))
    montecarlo_scenario(out, Sweep("montecarlo-rpo-rto",
                                   [POLICY_KEY, RATE_KEY, INTERVAL_KEY, SIZE_KEY],
                                   [pol, ["500mbit", "200mbit", "100mbit", "50mbit", "25mbit"],
                                    ["1min", "5min", "15min"], ["1GiB", "5GiB", "10GiB"]],
                                   mc_replications, 42))
    fluid_scenario(out, Sweep("fig8-10-sensitivity", [SIZE_KEY, RATE_KEY, POLICY_KEY],
                              [SENSITIVITY_SIZES, ["500mbit", "100mbit", "50mbit"], pol], 1, 810),
                   ("runs", "protection", "traffic"), bin_s=10, result_set="studies")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_synthetic.py OUT_RESULTS_DIR")
    print(write_all(sys.argv[1]))
