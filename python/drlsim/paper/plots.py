"""Figures of the DRLSim paper reproduction, computed from the CSV result sets under ``Results/``.

The notebooks in this folder are thin: each calls one ``figure*`` function of this module, which
reads only CSV files (the project's CSV contract, see ``Docs/figures.md``: ``runs.csv``,
``protection.csv``, ``traffic.csv``, ``recovery.csv``, ``rpo.csv``), computes a table, draws the
figure the way the paper does (the ORBIT Disaster Recovery Layer paper, Section 7,
Figs. 7-11) and saves a PNG next to the scenario folders it read (``Results/paper/fig7.png``).
The same functions run from a script or a test (see ``Docs/figures.md``).

Where the results are: ``$DRLSIM_RESULTS`` (a ``Results`` folder) when set, otherwise the
``Results`` folder of the repository that contains this file (found by walking up to
``Package.swift``). A figure of scenario ``NAME`` reads ``<Results>/paper/NAME/*.csv``.

Reading goes through the drlsim package (``python/``, ``pip install ./python``; Scripts/setup-python
installs it): ``drlsim.read_table`` reads and types every CSV, ``drlsim.read_points`` gives the
swept values typed from ``points.csv`` (bytes, bits per second, seconds), and duration
statistics are ``drlsim.stats`` -- the same code as ``drlsim report``. Result sets without
``points.csv`` (written before format 2, and the synthetic test sets) fall back to parsing the
scenario spelling in ``runs.csv`` (``5GiB``, ``500mbit``, ``5min``) with :func:`parse_size`,
:func:`parse_rate`, :func:`parse_duration`; a swept mapping (``wan.qdisc``) is parsed for its
``rate``.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib

matplotlib.use("Agg")  # headless: figures are files, never windows

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import drlsim  # noqa: E402  (python/: pip install ./python; Scripts/setup-python does)
from drlsim.stats import kaplan_meier_median, summarize  # noqa: E402

# --------------------------------------------------------------------------------------------
# The CSV contract and the paper scenarios
# --------------------------------------------------------------------------------------------

#: Columns every result file starts with (interface.md, "Output files").
KEY_COLUMNS = ("run", "point", "replication")

#: Required columns of each table after ``run, point, replication`` (interface.md).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "runs": ("scenario", "seed", "duration_s", "events"),
    "protection": ("execution", "resource", "kind", "action", "start_s", "end_s", "duration_s",
                   "bytes", "status"),
    "traffic": ("t_s", "class", "bytes", "cum_bytes", "rate_bps"),
    "recovery": ("disaster_s", "detected_s", "notified_s", "recovery_started_s", "recovered_s",
                 "responsive_s", "redirected_s", "rto_s"),
    "rpo": ("resource", "action", "disaster_s", "recovery_point_s", "rpo_s", "lost_bytes"),
    "replication": ("t_s", "resource", "state", "drbd_state", "lag_s", "backlog_bytes",
                    "sent_bytes", "written_bytes", "eta_synced_s"),
    "storage": ("t_s", "site", "container_kind", "containers", "objects", "stored_bytes",
                "logical_bytes", "recovery_points"),
    "writes": ("t_s", "vm", "requested_bytes", "completed_bytes", "writes", "throttled_s",
               "throttled_share", "latency_mean_s", "latency_p99_s"),
}

#: Contract columns that hold numbers (an empty cell, e.g. the end of an unfinished action, is
#: NaN).
NUMERIC_COLUMNS = frozenset({
    "point", "replication", "seed", "duration_s", "events", "execution", "start_s", "end_s",
    "bytes", "t_s", "cum_bytes", "rate_bps", "disaster_s", "detected_s", "notified_s",
    "recovery_started_s", "recovered_s", "responsive_s", "redirected_s", "rto_s",
    "recovery_point_s", "rpo_s", "lost_bytes", "lag_s", "backlog_bytes", "sent_bytes",
    "written_bytes", "eta_synced_s", "containers", "objects", "stored_bytes", "logical_bytes",
    "recovery_points",
    "requested_bytes", "completed_bytes", "writes", "throttled_s", "throttled_share",
    "latency_mean_s", "latency_p99_s",
})

#: Result-set folder of the committed paper reproduction, under the Results root.
PAPER_SET = "paper"
#: Result-set folder of studies beyond the paper (``Scenarios/studies/``), under the Results root.
STUDY_SET = "studies"

#: Scenario names (``name:`` of the files under ``Scenarios/paper/``) the figures read.
SCENARIO_FIG7 = "fig7-protection-vs-volume-size"
SCENARIO_FIG8 = "fig8-protection-vs-bandwidth"
SCENARIO_TRAFFIC = "fig9-traffic"  # Figs. 9 and 10 share it
SCENARIO_FIG11 = "fig11-recovery"
SCENARIO_MONTECARLO = "montecarlo-rpo-rto"
#: ``Scenarios/studies/fig8-10-sensitivity.yaml``: Figs. 8-10 over the settings the paper leaves unstated.
SCENARIO_SENSITIVITY = "fig8-10-sensitivity"

#: Swept key columns of ``runs.csv``, first present wins (the scenario's key path verbatim).
SIZE_KEYS = ("workload.vms[0].volume.size",)
RATE_KEYS = ("wan.rate", "wan.qdisc.rate", "wan.qdisc")  # wan.qdisc: its `rate:` entry
POLICY_KEYS = ("protection.policy",)
INTERVAL_KEYS = ("protection.interval",)


@dataclass(frozen=True)
class FigureSpec:
    """What one notebook reads and writes."""

    notebook: str
    scenario: str
    tables: tuple[str, ...]
    outputs: tuple[str, ...]
    #: Result-set folder the scenario's CSV and the outputs live in.
    result_set: str = PAPER_SET


#: Every notebook, the scenario folder and tables it needs, and the PNGs it writes.
FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("fig7_protection_vs_volume_size", SCENARIO_FIG7, ("runs", "protection"),
               ("fig7.png",)),
    FigureSpec("fig8_protection_vs_bandwidth", SCENARIO_FIG8, ("runs", "protection"),
               ("fig8.png",)),
    FigureSpec("fig9_cumulative_traffic", SCENARIO_TRAFFIC, ("runs", "traffic"), ("fig9.png",)),
    FigureSpec("fig10_traffic_10s", SCENARIO_TRAFFIC, ("runs", "traffic", "protection"),
               ("fig10.png",)),
    FigureSpec("fig11_recovery_breakdown", SCENARIO_FIG11, ("runs", "recovery"), ("fig11.png",)),
    FigureSpec("rpo_rto_curves", SCENARIO_MONTECARLO, ("runs", "rpo", "recovery"),
               ("rpo_cdf.png", "rto_vs_volume_size.png", "rpo_vs_interval_bandwidth.png",
                "bandwidth_for_target_rpo.png")),
    # Reads every result set above that exists (claims.py); never fails for a missing one.
    FigureSpec("paper_claims", "", (), ("claims.md",)),
    FigureSpec("rpo_and_vault_over_time", SCENARIO_TRAFFIC,
               ("runs", "protection", "replication", "storage"),
               ("rpo_over_time.png", "vault_over_time.png")),
    FigureSpec("fig8_10_sensitivity", SCENARIO_SENSITIVITY, ("runs", "protection", "traffic"),
               ("fig8-10-sensitivity.png", "fig8-10-sensitivity.md"), STUDY_SET),
)

#: The four protection actions, in the paper's order, and their bar colours (Fig. 7: volume
#: replication is the red bar).
ACTIONS = ("vm-snapshot", "image-copy", "volume-snapshot", "volume-replication")
ACTION_COLORS = {"vm-snapshot": "tab:blue", "image-copy": "tab:green",
                 "volume-snapshot": "tab:orange", "volume-replication": "tab:red"}
#: Policies and their colours (Fig. 10c: blue for replication, red for snapshot).
POLICIES = ("snapshot", "replication")
POLICY_COLORS = {"replication": "tab:blue", "snapshot": "tab:red"}
#: Actions that make up each policy (paper Section 4: VM mode by configuration, volume by type).
POLICY_ACTIONS = {"snapshot": ("vm-snapshot", "volume-snapshot"),
                  "replication": ("image-copy", "volume-replication")}

#: Traffic classes that do not go from the primary to the backup site (Figs. 9-10 plot the
#: outgoing primary->backup traffic, which the paper measured at the tc qdisc).
NON_WAN_CLASSES = ("application",)

#: Reference values used when a curve holds other swept keys fixed (closest present value):
#: the paper's protection interval (5 min), 5 GB volume and a 100 Mbit/s WAN.
REFERENCE = {"interval_s": 300.0, "size_bytes": 5 * 2**30, "bandwidth_bps": 100e6}

#: Values at or below this are drawn at this height on log axes (a zero has no logarithm).
LOG_FLOOR_S = 1e-3


class MissingResults(FileNotFoundError):
    """A result file a figure needs is absent."""


class BadResults(ValueError):
    """A result file lacks a contract column, or holds no usable rows."""


# --------------------------------------------------------------------------------------------
# Locating and reading results
# --------------------------------------------------------------------------------------------

#: Fewer samples than this make a curve or a statistic an example rather than an estimate:
#: figures say so (a CDF, a mean with its interval).
MIN_SAMPLES = 5
#: A p-quantile from n samples is the maximum while n < 1 / (1 - p); for p95 that is 20.
MIN_QUANTILE_SAMPLES = 20


def repo_root(start: Path | None = None) -> Path:
    """The repository root: the first folder upward from ``start`` holding ``Package.swift``."""
    starts = [Path(start)] if start else [Path.cwd(), Path(__file__).resolve().parent]
    for here in starts:
        here = here.resolve()
        for folder in (here, *here.parents):
            if (folder / "Package.swift").exists():
                return folder
    raise FileNotFoundError(f"no Package.swift above {starts[0]}; set DRLSIM_RESULTS")


def results_root(root: str | os.PathLike | None = None) -> Path:
    """The ``Results`` folder: ``root`` if given, else ``$DRLSIM_RESULTS``, else the repo's."""
    if root is not None:
        return Path(root)
    env = os.environ.get("DRLSIM_RESULTS")
    if env:
        return Path(env)
    return repo_root() / "Results"


def scenario_dir(scenario: str, root: str | os.PathLike | None = None,
                 result_set: str = PAPER_SET) -> Path:
    """Folder of one scenario's CSV files: ``<Results>/<result_set>/<scenario>`` (``paper`` by
    default)."""
    return results_root(root) / result_set / scenario


def figure_path(name: str, root: str | os.PathLike | None = None,
                result_set: str = PAPER_SET) -> Path:
    """Where a figure PNG goes: ``<Results>/<result_set>/<name>`` (``paper`` by default)."""
    return results_root(root) / result_set / name


def missing_inputs(spec: FigureSpec, root: str | os.PathLike | None = None) -> list[Path]:
    """The CSV files ``spec`` needs that do not exist."""
    folder = scenario_dir(spec.scenario, root, spec.result_set)
    return [folder / f"{t}.csv" for t in spec.tables if not (folder / f"{t}.csv").is_file()]


def read_table(folder: str | os.PathLike, table: str) -> pd.DataFrame:
    """Reads ``<folder>/<table>.csv`` with the drlsim package's reader (``drlsim.read_table``:
    the one CSV reader and typing rule of the report and the notebooks) and checks it has the
    contract's columns, numbers where the contract has numbers. Empty text cells are missing
    (NaN), as pandas reads them. ``runs`` gets the swept keys typed from ``points.csv``
    (``drlsim.read_points``: ``wan.rate`` in bit/s, sizes in bytes, durations in seconds); the
    values as written stay in ``runs.attrs["written"]`` (key -> point -> text)."""
    path = Path(folder) / f"{table}.csv"
    if not path.is_file():
        raise MissingResults(f"{path}: missing (run the scenario with drlsim run first)")
    df = drlsim.read_table(path)
    need = KEY_COLUMNS + REQUIRED_COLUMNS.get(table, ())
    absent = [c for c in need if c not in df.columns]
    if absent:
        raise BadResults(f"{path}: missing column(s) {', '.join(absent)}")
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].where(df[col] != "", np.nan)
    for col in need:
        if col in NUMERIC_COLUMNS:
            num = pd.to_numeric(df[col], errors="coerce")
            bad = num.isna() & df[col].notna()
            if bad.any():
                raise BadResults(f"{path}: column {col} holds a non-number "
                                 f"({df[col][bad].iloc[0]!r})")
            df[col] = num.astype(float) if col.endswith(("_s", "bytes", "bps")) else num
    if table == "runs" and (Path(folder) / "points.csv").is_file():
        df = _typed_sweep(Path(folder), df)
    return df


def _typed_sweep(folder: Path, runs: pd.DataFrame) -> pd.DataFrame:
    """``runs`` with its swept columns replaced by the typed ones of ``points.csv`` (text keys
    stay as written) and the written values in ``attrs["written"]``."""
    swept, _, points, written = drlsim.read_points(folder, runs)
    runs = drlsim.join_points(runs, points, swept)
    runs.attrs["written"] = {k: {p: w.get(k, "") for p, w in written.items()} for k in swept}
    return runs


def read_scenario(scenario: str, tables: Sequence[str],
                  root: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Reads several tables of one scenario; ``runs`` gains normalised sweep columns."""
    folder = scenario_dir(scenario, root)
    out = {t: read_table(folder, t) for t in tables}
    if "runs" in out:
        out["runs"] = sweep_frame(out["runs"])
    return out


# --------------------------------------------------------------------------------------------
# Units (interface.md: tc spelling for rates, SI/binary sizes, tc `kb` = 1024 B)
# --------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")

_SIZE_UNITS = {
    "": 1, "b": 1, "B": 1,
    "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
    "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
    "kb": 2**10, "k": 2**10, "mb": 2**20, "m": 2**20, "gb": 2**30, "g": 2**30,  # tc spelling
}
_RATE_UNITS = {
    "": 1, "bit": 1, "kbit": 1e3, "mbit": 1e6, "gbit": 1e9, "tbit": 1e12,
    "kibit": 2**10, "mibit": 2**20, "gibit": 2**30,
    "bps": 8, "kbps": 8e3, "mbps": 8e6, "gbps": 8e9, "tbps": 8e12,
    "kibps": 8 * 2**10, "mibps": 8 * 2**20, "gibps": 8 * 2**30,
}
_TIME_UNITS = {"": 1, "ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1, "min": 60, "h": 3600}


def _parse(value, units: dict[str, float], what: str, fold_case: bool) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    try:
        return float(str(value))  # a plain number, also `inf` / `nan` as CSV spells them
    except ValueError:
        pass
    m = _NUMBER.match(str(value))
    if not m:
        raise ValueError(f"{value!r} is not a {what}")
    unit = m.group(2).lower() if fold_case else m.group(2)
    if unit not in units:
        raise ValueError(f"{value!r} is not a {what} (unknown unit {m.group(2)!r})")
    return float(m.group(1)) * units[unit]


def parse_size(value) -> float:
    """Bytes of a size (``5GiB``, ``190MB``, ``64kb`` tc = 65536, or a plain number of bytes)."""
    return _parse(value, _SIZE_UNITS, "size", fold_case=False)


_FLOW_RATE = re.compile(r"(?:^|[{,\s])rate\s*:\s*([^,}\s]+)")


def parse_rate(value) -> float:
    """Bits per second of a tc rate (``500mbit``, ``10bps`` = 80 bit/s, or plain bit/s); for a
    swept qdisc written in YAML flow style (``{type: tbf, rate: 50mbit}``), its ``rate``."""
    if isinstance(value, str) and value.strip().startswith("{"):
        m = _FLOW_RATE.search(value)
        if not m:
            raise ValueError(f"{value!r} has no rate")
        value = m.group(1).strip("'\"")
    return _parse(value, _RATE_UNITS, "rate", fold_case=True)


def parse_duration(value) -> float:
    """Seconds of a duration (``5min``, ``100ms``, or plain seconds)."""
    return _parse(value, _TIME_UNITS, "duration", fold_case=False)


def format_size(nbytes: float) -> str:
    """A short label: ``1 GB`` for 1 GiB or 1 GB (the paper's spelling), else MB."""
    if not np.isfinite(nbytes):
        return "?"
    for unit in (2**30, 1e9):
        q = nbytes / unit
        if q >= 1 and abs(q - round(q)) < 1e-9:
            return f"{int(round(q))} GB"
    if nbytes >= 1e9:
        return f"{nbytes / 2**30:.3g} GB"
    return f"{nbytes / 1e6:.4g} MB"


def format_rate(bps: float) -> str:
    """A short label in bits per second: ``500 Mbit/s`` (never ``Mbps``: in our units, as in
    tc, ``mbps`` is megaBYTES per second)."""
    if not np.isfinite(bps):
        return "?"
    if bps >= 1e9:
        return f"{bps / 1e9:.4g} Gbit/s"
    if bps >= 1e6:
        return f"{bps / 1e6:.4g} Mbit/s"
    return f"{bps / 1e3:.4g} kbit/s"


def format_duration(seconds: float) -> str:
    """A short label: ``5 min``, ``30 s``."""
    if seconds >= 60 and abs(seconds / 60 - round(seconds / 60)) < 1e-9:
        return f"{int(round(seconds / 60))} min"
    return f"{seconds:.4g} s"


def _first_present(df: pd.DataFrame, keys: Iterable[str]) -> str | None:
    return next((k for k in keys if k in df.columns), None)


def sweep_frame(runs: pd.DataFrame) -> pd.DataFrame:
    """``runs`` plus normalised sweep columns ``size_bytes``, ``bandwidth_bps``, ``policy``,
    ``interval_s`` (NaN / missing when the scenario does not sweep that key) and ``workload``
    (the other swept ``workload.*`` keys as ``key=value, ...``; empty when there are none)."""
    runs = runs.copy()
    written = runs.attrs.get("written", {})
    for col, keys, parse in (("size_bytes", SIZE_KEYS, parse_size),
                             ("bandwidth_bps", RATE_KEYS, parse_rate),
                             ("interval_s", INTERVAL_KEYS, parse_duration)):
        key = _first_present(runs, keys)
        if key and pd.api.types.is_numeric_dtype(runs[key]):
            runs[col] = runs[key].astype(float)  # typed by points.csv (base unit) or plain numbers
        else:  # result sets without points.csv, a swept mapping (wan.qdisc): parse the spelling
            runs[col] = runs[key].map(parse).astype(float) if key else np.nan
    key = _first_present(runs, POLICY_KEYS)
    runs["policy"] = runs[key].astype(str).str.strip() if key else pd.NA
    # Other swept workload keys (e.g. the write rate) label the sizing curves ("" if none), as
    # written in the scenario.
    wkeys = [c for c in runs.columns if c.startswith("workload.") and c not in SIZE_KEYS]
    text = pd.DataFrame({k: runs["point"].map(written[k]) if k in written else runs[k]
                         for k in wkeys}, index=runs.index)
    runs["workload"] = text.astype(str).apply(
        lambda r: ", ".join(f"{k}={v}" for k, v in r.items()), axis=1) if wkeys else ""
    return runs


def infer_policy(protection: pd.DataFrame) -> pd.Series:
    """Policy of each run from the actions it took: ``snapshot``, ``replication`` or the
    sorted action names joined by ``+`` for a mixture. Index: run."""
    def name(actions: pd.Series) -> str:
        found = sorted(set(actions))
        for policy, acts in POLICY_ACTIONS.items():
            if set(found) <= set(acts):
                return policy
        return "+".join(found)
    return protection.groupby("run")["action"].agg(name)


def with_policy(runs: pd.DataFrame, protection: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fills ``runs.policy`` from protection actions where the scenario did not sweep it."""
    runs = runs.copy()
    if runs["policy"].isna().any() and protection is not None and len(protection):
        inferred = infer_policy(protection)
        runs["policy"] = runs["policy"].fillna(runs["run"].map(inferred))
    return runs


def _attach(df: pd.DataFrame, runs: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    return df.merge(runs[["run", *cols]], on="run", how="left", validate="many_to_one")


def pick_reference(values: Iterable[float], target: float) -> float:
    """The value closest to ``target`` on a log scale (NaN when there is none)."""
    vals = sorted({float(v) for v in values if pd.notna(v)})
    if not vals:
        return math.nan
    if target <= 0:
        return vals[0]
    return min(vals, key=lambda v: abs(math.log(v / target)) if v > 0 else math.inf)


def _fix(df: pd.DataFrame, col: str, keep: Sequence[str]) -> pd.DataFrame:
    """Keeps only rows at the reference value of ``col`` unless ``col`` is in ``keep``."""
    if col in keep or df[col].isna().all():
        return df
    ref = pick_reference(df[col], REFERENCE[col])
    return df[np.isclose(df[col], ref)]


def _spread(values: pd.Series) -> pd.Series:
    v = values.dropna()
    return pd.Series({"mean": v.mean(), "min": v.min(), "max": v.max(),
                      "std": v.std(ddof=1) if len(v) > 1 else 0.0, "n": len(v)})


# --------------------------------------------------------------------------------------------
# Figure 7: protection time per action vs volume size
# --------------------------------------------------------------------------------------------

#: protection.csv statuses whose duration is a finished sample (Docs/statistics.md).
FINISHED_STATUSES = ("completed", "overlapped")


def duration_status(protection: pd.DataFrame, runs: pd.DataFrame | None = None) -> pd.Series:
    """Per row of ``protection.csv``: ``finished`` (completed, overlapped), ``censored`` (cut
    by the run's end: its duration is a lower bound), ``aborted`` (cut by a disaster: no
    sample), ``stub`` (due at the run's end: not a row since issue 13) or ``marker``
    (skipped/queued). Result sets written before censoring existed mark a cut action
    ``aborted`` with ``end_s`` at the run's end: with ``runs`` those become ``censored``, and
    those that also start there ``stub`` (Docs/statistics.md)."""
    status = protection["status"].astype(str)
    out = pd.Series("marker", index=protection.index, dtype=object)
    out[status.isin(FINISHED_STATUSES)] = "finished"
    out[status == "censored"] = "censored"
    aborted = status == "aborted"
    out[aborted] = "aborted"
    if runs is not None and "duration_s" in runs.columns and len(protection):
        dur = protection["run"].map(runs.drop_duplicates("run").set_index("run")["duration_s"]
                                    .astype(float)).astype(float)
        end = protection["end_s"].astype(float)
        start = protection["start_s"].astype(float)
        at_end = aborted & np.isclose(end, dur)
        out[at_end] = "censored"
        out[at_end & np.isclose(start, dur)] = "stub"
    if len(protection):
        out[(out == "censored") & np.isclose(protection["start_s"].astype(float),
                                             protection["end_s"].astype(float))] = "stub"
    return out


def _with_status(protection: pd.DataFrame, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Finished and censored actions with a finite duration, column ``censored`` (bool)."""
    st = duration_status(protection, runs)
    p = protection[st.isin(("finished", "censored"))].copy()
    p["censored"] = (st[p.index] == "censored").to_numpy()
    return p[np.isfinite(p["duration_s"].astype(float)) & np.isfinite(p["end_s"].astype(float))]


def _finished(protection: pd.DataFrame, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Actions with a finished duration (``completed``, ``overlapped``): never an action cut by
    the run's end (``censored``, a lower bound) or by a disaster, never a 0-second stub."""
    p = _with_status(protection, runs)
    return p[~p["censored"]].drop(columns="censored")


def km_median(finished: Iterable[float], censored: Iterable[float] = ()) -> float:
    """Kaplan-Meier median of ``finished`` durations with right-censored ``censored`` lower
    bounds: ``drlsim.stats.kaplan_meier_median`` (the package's, shared with ``drlsim
    report``; as DRLSimCore ``DurationSummary``)."""
    return kaplan_meier_median(finished, censored)


#: The keys of :func:`duration_summary`.
DURATION_SUMMARY_KEYS = ("n", "censored", "mean", "p50", "p95", "max", "lower_bound_mean",
                         "km_median")


def duration_summary(finished: Iterable[float], censored: Iterable[float] = ()) -> dict:
    """The one summary of durations (Docs/statistics.md), ``drlsim.stats.summarize`` as a
    dict: ``n`` finished, ``censored``, mean / p50 / p95 / max of the finished ones,
    ``lower_bound_mean`` (finished and censored lower bounds together: the true mean is at
    least this) and ``km_median``."""
    s = summarize(finished, censored).as_dict()
    return {k: s[k] for k in DURATION_SUMMARY_KEYS}


def format_bound(value: float, censored: int, lower_bound: float) -> str:
    """A duration for a table: the finished mean, or "≥ lower bound" when samples were cut off
    by the run's end and nothing finished (or the bound exceeds the mean)."""
    if censored and (not np.isfinite(value) or lower_bound > value):
        return f"≥ {lower_bound:.3g} s ({censored} cut off)"
    return "n/a" if not np.isfinite(value) else f"{value:.3g} s"


def _censoring_columns(p: pd.DataFrame, keys: list[str], col: str = "duration_s") -> pd.DataFrame:
    """Per ``keys``: ``censored`` (samples cut off by the run's end) and ``lower_bound`` (the
    mean over runs of each run's mean over finished values and censored lower bounds)."""
    lb = p.groupby(keys + ["run"], dropna=False)[col].mean().groupby(level=keys, dropna=False).mean()
    cens = p.groupby(keys, dropna=False)["censored"].sum()
    return pd.DataFrame({"censored": cens.astype(int), "lower_bound": lb})


def protection_time_by_size(protection: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Fig. 7's numbers: per (volume size, action) the mean protection time over runs (each run
    contributes its mean finished action duration), with min/max/std across runs; ``censored``
    counts actions cut off by the run's end (left out of the mean) and ``lower_bound`` is the
    mean with their elapsed times counted (Docs/statistics.md). Aborted actions are left out."""
    allp = _attach(_with_status(protection, runs), runs, ["size_bytes"])
    p = allp[~allp["censored"]]
    per_run = p.groupby(["size_bytes", "action", "run"], dropna=False)["duration_s"].mean()
    table = per_run.groupby(level=["size_bytes", "action"], dropna=False).apply(_spread).unstack()
    table = table.join(_censoring_columns(allp, ["size_bytes", "action"]), how="outer")
    table = table.reset_index()
    table["n"] = table["n"].fillna(0).astype(int)
    order = {a: i for i, a in enumerate(ACTIONS)}
    table["_o"] = table["action"].map(lambda a: order.get(a, len(order)))
    return table.sort_values(["size_bytes", "_o", "action"]).drop(columns="_o").reset_index(drop=True)


def _log_heights(values: np.ndarray) -> np.ndarray:
    return np.maximum(np.asarray(values, dtype=float), LOG_FLOOR_S)


def _plain_log(ax, which: str = "y") -> None:
    """Log scale labelled with plain numbers (0.1, 1, 10, 200), no minor-tick labels."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("log")
    axis.set_major_locator(mticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(mticker.NullFormatter())


def thin_log_ticks(fig: plt.Figure) -> None:
    """Labels of every log axis of ``fig`` chosen by its drawn range so they never collide:
    decades only over more than 2.5 decades, 1-2-5 over more than one, 1-1.5-2-3-5-7 within one."""
    fig.canvas.draw()
    for ax in fig.axes:
        for axis, scale, lim in ((ax.xaxis, ax.get_xscale(), ax.get_xlim()),
                                 (ax.yaxis, ax.get_yscale(), ax.get_ylim())):
            if scale != "log" or min(lim) <= 0:
                continue
            decades = abs(math.log10(lim[1] / lim[0]))
            subs = (1.0,) if decades > 2.5 else (1.0, 2.0, 5.0) if decades > 1 else (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)
            axis.set_major_locator(mticker.LogLocator(subs=subs))
            axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(mticker.NullFormatter())


def _yerr(table: pd.DataFrame) -> np.ndarray:
    mean = _log_heights(table["mean"].to_numpy())
    lo = np.clip(mean - _log_heights(table["min"].to_numpy()), 0, None)
    hi = np.clip(_log_heights(table["max"].to_numpy()) - mean, 0, None)
    return np.vstack([lo, hi])


def plot_fig7(table: pd.DataFrame) -> plt.Figure:
    """Grouped bars, one group per volume size, one bar per action, log time axis."""
    sizes = sorted(table["size_bytes"].dropna().unique())
    actions = [a for a in ACTIONS if a in set(table["action"])] + \
        sorted(set(table["action"]) - set(ACTIONS))
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    width = 0.8 / max(len(actions), 1)
    x = np.arange(len(sizes))
    for i, action in enumerate(actions):
        rows = table[table["action"] == action].set_index("size_bytes").reindex(sizes)
        ax.bar(x + (i - (len(actions) - 1) / 2) * width, _log_heights(rows["mean"].fillna(0)),
               width, yerr=_yerr(rows.fillna(0)), capsize=3, label=action,
               color=ACTION_COLORS.get(action), edgecolor="black", linewidth=0.4)
    _plain_log(ax)
    ax.set_xticks(x, [format_size(s) for s in sizes])
    ax.set_xlabel("volume size")
    ax.set_ylabel("protection time (s, log scale)")
    ax.set_title("Fig. 7: protection time per action vs volume size")
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# Figure 8: protection time of each policy vs bandwidth (VM part and total)
# --------------------------------------------------------------------------------------------

def execution_times(protection: pd.DataFrame, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (run, execution): ``vm_s`` (duration of the VM action(s): the longest) and
    ``total_s`` (makespan: last end minus first start over all its resources); ``censored``
    (an action of it was cut off by the run's end: ``total_s`` is a lower bound) and
    ``vm_censored`` likewise for ``vm_s``. Aborted actions and stubs are left out."""
    p = _with_status(protection, runs)
    p = p[p["execution"].astype(float) >= 0]
    g = p.groupby(["run", "execution"])
    out = pd.DataFrame({
        "start_s": g["start_s"].min(),
        "end_s": g["end_s"].max(),
        "censored": g["censored"].any(),
    })
    out["total_s"] = out["end_s"] - out["start_s"]
    vmp = p[p["kind"].astype(str) == "vm"].groupby(["run", "execution"])
    out["vm_s"] = vmp["duration_s"].max().reindex(out.index)
    out["vm_censored"] = vmp["censored"].any().reindex(out.index).fillna(False).astype(bool)
    return out.reset_index()


def protection_time_by_bandwidth(protection: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Fig. 8's numbers: per (policy, bandwidth, part in {vm, total}) the mean over runs of each
    run's mean finished execution time, with min/max/std across runs; ``censored`` counts the
    executions cut off by the run's end (left out of the mean) and ``lower_bound`` is the mean
    with their elapsed times counted: when nothing finished, the time is only known to be at
    least that (Docs/statistics.md)."""
    runs = with_policy(runs, protection)
    ex = _attach(execution_times(protection, runs), runs, ["policy", "bandwidth_bps"])
    rows = []
    for part, col, flag in (("vm", "vm_s", "vm_censored"), ("total", "total_s", "censored")):
        fin = ex[~ex[flag]]
        per_run = fin.groupby(["policy", "bandwidth_bps", "run"], dropna=False)[col].mean()
        t = per_run.groupby(level=["policy", "bandwidth_bps"], dropna=False).apply(_spread).unstack() \
            if len(per_run) else pd.DataFrame(columns=["mean", "min", "max", "std", "n"])
        cens = _censoring_columns(ex[np.isfinite(ex[col].astype(float))].assign(censored=ex[flag]),
                                  ["policy", "bandwidth_bps"], col)
        t = t.join(cens, how="outer") if len(t) else cens.assign(mean=np.nan, min=np.nan, max=np.nan,
                                                                   std=np.nan, n=0)
        t = t.reset_index()
        t["part"] = part
        rows.append(t)
    table = pd.concat(rows, ignore_index=True)
    table["n"] = table["n"].fillna(0).astype(int)
    return table.sort_values(["policy", "bandwidth_bps", "part"], ascending=[True, False, False]) \
        .reset_index(drop=True)[["policy", "bandwidth_bps", "part", "mean", "min", "max", "std", "n",
                                 "censored", "lower_bound"]]


def plot_fig8(table: pd.DataFrame) -> plt.Figure:
    """Two panels, (a) snapshot and (b) replication; per bandwidth a VM bar and a total bar."""
    policies = _policies_in(table)
    rates = sorted(table["bandwidth_bps"].dropna().unique(), reverse=True)
    fig, axes = plt.subplots(1, max(len(policies), 1), figsize=(10, 4.2), sharey=True,
                             squeeze=False)
    for k, (ax, policy) in enumerate(zip(axes[0], policies)):
        x = np.arange(len(rates))
        for i, (part, hatch) in enumerate((("vm", ""), ("total", "//"))):
            rows = table[(table["policy"] == policy) & (table["part"] == part)] \
                .set_index("bandwidth_bps").reindex(rates)
            # Nothing finished: draw the lower bound (elapsed times at the run's end), marked ≥.
            bound = rows["mean"].isna() & (rows.get("censored", 0) > 0)
            heights = rows["mean"].where(~bound, rows.get("lower_bound", np.nan)).fillna(0)
            ax.bar(x + (i - 0.5) * 0.38, _log_heights(heights), 0.38,
                   yerr=_yerr(rows.fillna(0)), capsize=3, hatch=hatch,
                   label="VM protection" if part == "vm" else "total protection",
                   color=POLICY_COLORS.get(policy, "grey"), alpha=0.55 if part == "vm" else 0.95,
                   edgecolor="black", linewidth=0.4)
            for j in np.flatnonzero(bound.to_numpy()):
                ax.annotate("≥", (x[j] + (i - 0.5) * 0.38, _log_heights(heights.to_numpy())[j]),
                            textcoords="offset points", xytext=(0, 3), ha="center", fontsize=9)
        _plain_log(ax)
        ax.set_xticks(x, [format_rate(r) for r in rates])
        ax.set_xlabel("available bandwidth")
        ax.set_title(f"({'abcdefgh'[k]}) {policy} policy")
        ax.grid(axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("protection time (s, log scale)")
    fig.suptitle("Fig. 8: protection time vs bandwidth")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# Traffic (Figures 9 and 10)
# --------------------------------------------------------------------------------------------

def wan_traffic(traffic: pd.DataFrame, exclude: Sequence[str] = NON_WAN_CLASSES) -> pd.DataFrame:
    """Traffic rows of the classes that go from the primary to the backup site."""
    return traffic[~traffic["class"].astype(str).isin(exclude)]


def bin_width(traffic: pd.DataFrame) -> float:
    """The traffic bin width: the smallest positive gap between bin starts (10 s if one bin)."""
    t = np.unique(traffic["t_s"].astype(float))
    gaps = np.diff(t)
    gaps = gaps[gaps > 1e-9]
    return float(gaps.min()) if len(gaps) else 10.0


def cumulative_traffic(traffic: pd.DataFrame,
                       exclude: Sequence[str] = NON_WAN_CLASSES) -> pd.DataFrame:
    """Fig. 9's curve of each run: ``cum_bytes`` summed over the WAN classes at the end of each
    bin (``t_end_s``). A class without a row in a bin keeps its last cumulative value."""
    t = wan_traffic(traffic, exclude)
    width = bin_width(traffic)
    wide = t.pivot_table(index=["run", "t_s"], columns="class", values="cum_bytes",
                         aggfunc="max").sort_index()
    wide = wide.groupby(level="run").ffill().fillna(0.0)
    out = wide.sum(axis=1).rename("cum_bytes").reset_index()
    out["t_end_s"] = out["t_s"] + width
    return out


def cumulative_by_point(traffic: pd.DataFrame, runs: pd.DataFrame,
                        exclude: Sequence[str] = NON_WAN_CLASSES) -> pd.DataFrame:
    """Fig. 9's numbers: per (policy, bandwidth, t_end_s) the mean cumulative WAN bytes over
    replications and their min/max."""
    runs = runs if runs["policy"].notna().all() else runs.assign(policy=runs["policy"].fillna("?"))
    cum = _attach(cumulative_traffic(traffic, exclude), runs, ["policy", "bandwidth_bps"])
    g = cum.groupby(["policy", "bandwidth_bps", "t_end_s"], dropna=False)["cum_bytes"]
    return pd.DataFrame({"mean": g.mean(), "min": g.min(), "max": g.max(), "n": g.size()}) \
        .reset_index()


_RATE_STYLES = ("-", "--", ":", "-.")


def plot_fig9(table: pd.DataFrame) -> plt.Figure:
    """Cumulative outgoing traffic over time: colour = policy, line style = bandwidth; the band
    is the min-max over replications."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    rates = _rates_in(table)
    for policy in _policies_in(table):
        for j, rate in enumerate(rates):
            rows = _at_policy_rate(table, policy, rate).sort_values("t_end_s")
            if rows.empty:
                continue
            color = POLICY_COLORS.get(policy, "grey")
            ax.plot(rows["t_end_s"], rows["mean"] / 1e9, _RATE_STYLES[j % len(_RATE_STYLES)],
                    color=color, label=f"{policy}, {format_rate(rate)}")
            ax.fill_between(rows["t_end_s"], rows["min"] / 1e9, rows["max"] / 1e9, color=color,
                            alpha=0.12, linewidth=0)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("cumulative outgoing traffic (GB)")
    ax.set_title("Fig. 9: cumulative outgoing traffic, primary to backup")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig


def windowed_rate(traffic: pd.DataFrame, window_s: float = 10.0,
                  duration_s: float | None = None,
                  exclude: Sequence[str] = NON_WAN_CLASSES) -> pd.DataFrame:
    """Fig. 10's series of each run: WAN bytes summed over classes and over ``window_s``
    windows (a bin belongs to the window holding its start), as ``avg_bps`` = bits / window.
    Windows without traffic are zero up to ``duration_s`` (or the last bin). If the bins are
    wider than ``window_s`` the bins themselves are the windows."""
    t = wan_traffic(traffic, exclude)
    width = bin_width(traffic)
    window = max(float(window_s), width)
    idx = np.floor(t["t_s"].astype(float) / window + 1e-9).astype(np.int64)
    per = t.assign(w=idx).groupby(["run", "w"])["bytes"].sum()
    frames = []
    for run, series in per.groupby(level="run"):
        series = series.droplevel("run")
        last = series.index.max()
        if duration_s is not None:
            last = max(last, int(math.ceil(duration_s / window - 1e-9)) - 1)
        full = series.reindex(range(0, last + 1), fill_value=0)
        frames.append(pd.DataFrame({"run": run, "t_s": full.index * window,
                                    "bytes": full.to_numpy(dtype=float)}))
    if not frames:
        return pd.DataFrame(columns=["run", "t_s", "bytes", "avg_bps", "window_s"])
    out = pd.concat(frames, ignore_index=True)
    out["avg_bps"] = out["bytes"] * 8.0 / window
    out["window_s"] = window
    return out


def action_spans(protection: pd.DataFrame, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Start and end of each protection execution (all its resources) of each run; ``censored``:
    the run's end cut it off (``end_s`` is the run's end)."""
    return execution_times(protection, runs)[["run", "execution", "start_s", "end_s", "total_s",
                                              "censored"]]


def fig10_data(traffic: pd.DataFrame, protection: pd.DataFrame, runs: pd.DataFrame,
               window_s: float = 10.0, replication: int | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The series and the action spans Fig. 10 draws: one replication (the lowest, unless
    given) of each (policy, bandwidth) point, since averaging replications would smear peaks."""
    runs = with_policy(runs, protection)
    rep = int(runs["replication"].min()) if replication is None else replication
    chosen = runs[runs["replication"] == rep]
    dur = float(chosen["duration_s"].max()) if len(chosen) else None
    series = windowed_rate(traffic[traffic["run"].isin(chosen["run"])], window_s, dur)
    series = _attach(series, chosen, ["policy", "bandwidth_bps", "replication"])
    spans = _attach(action_spans(protection[protection["run"].isin(chosen["run"])], chosen), chosen,
                    ["policy", "bandwidth_bps"])
    return series, spans


def plot_fig10(series: pd.DataFrame, spans: pd.DataFrame,
               annotate_rates: Sequence[float] | None = None) -> plt.Figure:
    """One panel per bandwidth, (a) the highest first; both policies' 10-s average rates. The
    panels in ``annotate_rates`` (default: the lowest bandwidth, as Fig. 10c) mark the start
    (solid) and end (dashed) of each protection action, blue replication, red snapshot, with a
    bar per action above the curves."""
    rates = _rates_in(series)
    if annotate_rates is None:
        annotate_rates = [rates[-1]] if rates and not pd.isna(rates[-1]) else []
    policies = _policies_in(series)
    fig, axes = plt.subplots(len(rates), 1, figsize=(11, 2.9 * len(rates)), sharex=True,
                             squeeze=False)
    for k, (ax, rate) in enumerate(zip(axes[:, 0], rates)):
        for policy in policies:
            rows = series[(series["policy"] == policy) & np.isclose(series["bandwidth_bps"], rate)]
            rows = rows.sort_values("t_s")
            if rows.empty:
                continue
            # The snapshot trace is drawn above the replication one (which runs at the link's
            # rate and would otherwise hide it where both are at the cap).
            on_top = policy == "snapshot"
            ax.step(rows["t_s"], rows["avg_bps"] / 1e6, where="post",
                    color=POLICY_COLORS.get(policy, "grey"), label=f"{policy} policy",
                    lw=1.3 if on_top else 1.1, zorder=4 if on_top else 3, alpha=1.0 if on_top else 0.8)
        if any(np.isclose(rate, a) for a in annotate_rates):
            _annotate_actions(ax, spans[np.isclose(spans["bandwidth_bps"], rate)], policies)
        ax.set_ylabel("Mbit/s (10-s avg)")
        ax.set_title(f"({'abcdefgh'[k]}) {format_rate(rate)}", loc="left", fontsize=10)
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    axes[-1, 0].set_xlabel("time (s)")
    fig.suptitle("Fig. 10: outgoing traffic, primary to backup, 10-second averages")
    fig.tight_layout()
    return fig


def action_lanes(spans: pd.DataFrame) -> list[int]:
    """A lane per action such that actions in one lane do not overlap (greedy, by start), so
    overlapping protection actions (snapshot at low bandwidth) stay visible."""
    ends: list[float] = []
    lanes = []
    for r in spans.itertuples():
        lane = next((i for i, e in enumerate(ends) if e <= r.start_s), len(ends))
        if lane == len(ends):
            ends.append(r.end_s)
        else:
            ends[lane] = r.end_s
        lanes.append(lane)
    return lanes


def _annotate_actions(ax, spans: pd.DataFrame, policies: Sequence[str]) -> None:
    per = {p: spans[spans["policy"] == p].sort_values("start_s") for p in policies}
    lanes = {p: action_lanes(rows) for p, rows in per.items()}
    n_levels = sum(max(l, default=-1) + 1 for l in lanes.values())
    step = 0.05
    top = ax.get_ylim()[1]
    ax.set_ylim(0, top / max(1.0 - step * (n_levels + 1), 0.3))
    trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    base = 0.97
    for policy in policies:
        color = POLICY_COLORS.get(policy, "grey")
        rows = per[policy]
        for n, (r, lane) in enumerate(zip(rows.itertuples(), lanes[policy])):
            level = base - step * lane
            ax.axvline(r.start_s, color=color, lw=0.8, ls="-", alpha=0.7)
            ax.axvline(r.end_s, color=color, lw=0.8, ls="--", alpha=0.7)
            ax.plot([r.start_s, r.end_s], [level, level], transform=trans, color=color, lw=3,
                    solid_capstyle="butt", label=f"{policy} actions (start-end)" if n == 0 else None)
            ax.plot([r.start_s], [level], transform=trans, marker="|", color=color, ms=9)
            ax.plot([r.end_s], [level], transform=trans, marker="|", color=color, ms=9)
        base -= step * (max(lanes[policy], default=-1) + 1)


# --------------------------------------------------------------------------------------------
# Figure 11: recovery time breakdown
# --------------------------------------------------------------------------------------------

#: Fig. 11's phases: (label, end column, start column). They tile [disaster_s, responsive_s],
#: so they add up to rto_s.
PHASES = (
    ("detection", "detected_s", "disaster_s"),
    ("until recovery starts", "recovery_started_s", "detected_s"),
    ("recovery", "recovered_s", "recovery_started_s"),
    ("VM responsive", "responsive_s", "recovered_s"),
)
PHASE_COLORS = ("tab:purple", "tab:gray", "tab:orange", "tab:green")


def recovery_breakdown(recovery: pd.DataFrame) -> pd.DataFrame:
    """One row per disaster: each phase's seconds, ``sum_s`` (their sum), ``rto_s``,
    ``redirection_s`` (redirected minus recovered, shown apart: the paper finds it negligible)
    and ``status`` (``recovered``, ``failed``, ``censored``: its ``rto_s`` is a lower bound)."""
    out = recovery[["run", "point", "replication", "disaster_s", "rto_s"]].copy()
    out["status"] = recovery["status"].astype(str) if "status" in recovery else "recovered"
    for label, end, start in PHASES:
        out[label] = recovery[end].astype(float) - recovery[start].astype(float)
    out["sum_s"] = out[[p[0] for p in PHASES]].sum(axis=1)
    out["redirection_s"] = recovery["redirected_s"].astype(float) - recovery["recovered_s"]
    return out


def recovery_summary(recovery: pd.DataFrame, runs: pd.DataFrame,
                     protection: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fig. 11's numbers: per (policy, volume size) the mean of each phase, of ``rto_s`` and of
    ``redirection_s`` over disasters, with the min/max/std of ``rto_s`` and the count."""
    runs = with_policy(runs, protection)
    b = _attach(recovery_breakdown(recovery), runs, ["policy", "size_bytes"])
    # Recovered rows only: a censored row's rto_s is a lower bound, a failed one has none.
    b = b[np.isfinite(b["rto_s"].astype(float)) & (b["status"] == "recovered")]
    g = b.groupby(["policy", "size_bytes"], dropna=False)
    cols = [p[0] for p in PHASES] + ["rto_s", "redirection_s"]
    table = g[cols].mean()
    table["rto_min"] = g["rto_s"].min()
    table["rto_max"] = g["rto_s"].max()
    table["rto_std"] = g["rto_s"].std(ddof=1).fillna(0.0)
    table["n"] = g.size()
    table = table.reset_index()
    order = {p: i for i, p in enumerate(POLICIES)}
    table["_o"] = table["policy"].map(lambda p: order.get(p, len(order)))
    return table.sort_values(["_o", "size_bytes"]).drop(columns="_o").reset_index(drop=True)


def plot_fig11(summary: pd.DataFrame, breakdown: pd.DataFrame | None = None) -> plt.Figure:
    """Stacked bars (detection, until recovery starts, recovery, VM responsive) per policy and
    volume size; error bar = min-max RTO over replications, dots = each replication's RTO."""
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    x = np.arange(len(summary))
    bottom = np.zeros(len(summary))
    for (label, _, _), color in zip(PHASES, PHASE_COLORS):
        vals = summary[label].to_numpy(dtype=float)
        # A phase too thin to see on the bars (detection, until recovery starts) says its
        # range of means in the legend instead.
        lo, hi = np.nanmin(vals), np.nanmax(vals)
        span = f"{lo:.2g} s" if np.isclose(lo, hi) else f"{lo:.2g}-{hi:.2g} s"
        ax.bar(x, vals, 0.6, bottom=bottom, label=f"{label} ({span})", color=color,
               edgecolor="black", linewidth=0.4)
        bottom += vals
    rto = summary["rto_s"].to_numpy(dtype=float)
    err = np.vstack([np.clip(rto - summary["rto_min"], 0, None),
                     np.clip(summary["rto_max"] - rto, 0, None)])
    ax.errorbar(x, rto, yerr=err, fmt="none", ecolor="black", capsize=4, lw=1)
    if breakdown is not None:
        for i, r in enumerate(summary.itertuples()):
            sel = breakdown[(breakdown["policy"] == r.policy) &
                            np.isclose(breakdown["size_bytes"], r.size_bytes)]
            jitter = np.linspace(-0.18, 0.18, len(sel)) if len(sel) > 1 else np.zeros(len(sel))
            ax.plot(i + jitter, sel["rto_s"], "o", color="white", mec="black", ms=3.5, mew=0.7,
                    zorder=5, label="each replication" if i == 0 else None)
    for i, v in enumerate(rto):
        ax.annotate(f"{v:.1f} s", (i, v), textcoords="offset points", xytext=(0, 8),
                    ha="center", fontsize=8)
    ax.set_xticks(x, [f"{p}\n{format_size(s)}" for p, s in
                      zip(summary["policy"], summary["size_bytes"])])
    ax.set_ylabel("recovery time (s)")
    ax.set_title("Fig. 11: recovery time breakdown")
    ax.set_ylim(0, max(summary["rto_max"].max(), 1) * 1.18)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# Monte Carlo RPO / RTO curves
# --------------------------------------------------------------------------------------------

def disaster_rpo(rpo: pd.DataFrame, kind: str | None = "volume") -> pd.DataFrame:
    """One RPO per (run, disaster): the largest ``rpo_s`` (and summed ``lost_bytes``) over the
    protected resources whose action starts with ``kind`` (``volume``: the data the workload
    writes; ``None``: every resource). Falls back to every resource if none matches."""
    sel = rpo
    if kind is not None:
        sel = rpo[rpo["action"].astype(str).str.startswith(kind)]
        if sel.empty:
            sel = rpo
    g = sel.groupby(["run", "disaster_s"])
    return pd.DataFrame({"rpo_s": g["rpo_s"].max(), "lost_bytes": g["lost_bytes"].sum()}) \
        .reset_index()


def montecarlo_frame(rpo: pd.DataFrame, runs: pd.DataFrame, kind: str | None = "volume"
                     ) -> pd.DataFrame:
    """Disaster RPOs with the run's policy, bandwidth, interval and volume size."""
    runs = runs.copy()
    if runs["policy"].isna().any():  # rpo.csv names each resource's action too
        runs["policy"] = runs["policy"].fillna(runs["run"].map(infer_policy(rpo)))
    if "workload" not in runs:
        runs["workload"] = ""
    return _attach(disaster_rpo(rpo, kind), runs,
                   ["policy", "bandwidth_bps", "interval_s", "size_bytes", "workload"])


def ecdf(values: Iterable[float]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted values and their empirical CDF (i/n, reaching 1 at the largest)."""
    v = np.sort(np.asarray([x for x in values if np.isfinite(x)], dtype=float))
    return v, np.arange(1, len(v) + 1) / max(len(v), 1)


def _rates_in(df: pd.DataFrame) -> list[float]:
    """The swept bandwidths of ``df``, highest first ([nan] when there is no bandwidth column value)."""
    return sorted(df["bandwidth_bps"].dropna().unique(), reverse=True) or [math.nan]


def _at_policy_rate(df: pd.DataFrame, policy: str, rate: float) -> pd.DataFrame:
    """The rows of ``df`` at one policy and one bandwidth (``nan`` selects a missing bandwidth)."""
    at_rate = df["bandwidth_bps"].isna() if pd.isna(rate) else np.isclose(df["bandwidth_bps"], rate)
    return df[(df["policy"] == policy) & at_rate]


def _policies_in(df: pd.DataFrame) -> list[str]:
    present = set(df["policy"].dropna())
    return [p for p in POLICIES if p in present] + sorted(present - set(POLICIES))


def plot_rpo_cdf(mc: pd.DataFrame) -> plt.Figure:
    """RPO CDF per policy (panel) and bandwidth (line), at the reference interval and size."""
    d = _one_workload(_fix(_fix(mc, "interval_s", ()), "size_bytes", ()))
    policies = _policies_in(d)
    rates = _rates_in(d)
    cmap = plt.get_cmap("viridis")
    fig, axes = plt.subplots(1, max(len(policies), 1), figsize=(10, 4), sharey=True,
                             squeeze=False)
    for ax, policy in zip(axes[0], policies):
        for j, rate in enumerate(rates):
            rows = _at_policy_rate(d, policy, rate)
            x, y = ecdf(rows["rpo_s"])
            if len(x):
                # start each curve at 0 (left of its smallest value) so a few samples still
                # read as a distribution, not as steps floating above the axis
                xs = np.concatenate([[max(x[0], LOG_FLOOR_S)], np.maximum(x, LOG_FLOOR_S)])
                ys = np.concatenate([[0.0], y])
                few = " (too few)" if len(x) < MIN_SAMPLES else ""
                ax.step(xs, ys, where="post", color=cmap(j / max(len(rates) - 1, 1)),
                        label=f"{format_rate(rate)}, n={len(x)}{few}")
        ax.set_ylim(0, 1.02)
        _plain_log(ax, "x")
        ax.set_xlabel("RPO (s, log scale)")
        ax.set_title(f"{policy} policy")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8, title="bandwidth", title_fontsize=8)
    axes[0][0].set_ylabel("P(RPO <= x)")
    n_min = int(d.groupby(["policy", "bandwidth_bps"], dropna=False).size().min()) if len(d) else 0
    warn = f"\nonly {n_min} samples per curve: fewer than {MIN_SAMPLES}, read as examples, not a distribution" \
        if n_min < MIN_SAMPLES else ""
    fig.suptitle("RPO distribution (disaster at a uniform time)" + _fixed_note(d) + warn)
    fig.tight_layout()
    return fig


def _fixed_note(d: pd.DataFrame) -> str:
    parts = []
    for col, fmt in (("interval_s", format_duration), ("size_bytes", format_size)):
        vals = d[col].dropna().unique()
        if len(vals) == 1:
            parts.append(f"{'interval' if col == 'interval_s' else 'volume'} {fmt(vals[0])}")
    return f"\n({', '.join(parts)})" if parts else ""


def rto_by_size(recovery: pd.DataFrame, runs: pd.DataFrame, rpo: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """RTO quantiles per (policy, volume size) at the reference bandwidth and interval, over
    recovered disasters; ``censored`` counts recoveries cut off by the run's end and
    ``km_median`` is the Kaplan-Meier median with them (Docs/statistics.md)."""
    runs = runs.copy()
    if runs["policy"].isna().any() and rpo is not None:
        runs["policy"] = runs["policy"].fillna(runs["run"].map(infer_policy(rpo)))
    rec = recovery
    if "status" in rec:  # recovered rows; censored ones (lower bounds) are counted apart
        rec = rec.assign(censored=rec["status"].astype(str) == "censored")
        rec = rec[rec["status"].astype(str).isin(("recovered", "censored"))]
    else:
        rec = rec.assign(censored=False)
    r = _attach(rec[["run", "rto_s", "censored"]], runs, ["policy", "bandwidth_bps", "interval_s",
                                                         "size_bytes"])
    r = _fix(_fix(r, "bandwidth_bps", ()), "interval_s", ())
    g = r[~r["censored"]].groupby(["policy", "size_bytes"], dropna=False)["rto_s"]
    out = pd.DataFrame({"mean": g.mean(), "p10": g.quantile(0.1), "p50": g.median(),
                        "p90": g.quantile(0.9), "n": g.size()})
    km = r.groupby(["policy", "size_bytes"], dropna=False).apply(
        lambda d: pd.Series({"censored": int(d["censored"].sum()),
                             "km_median": km_median(d.loc[~d["censored"], "rto_s"],
                                                    d.loc[d["censored"], "rto_s"])}))
    return out.join(km, how="outer").reset_index()


def plot_rto_vs_size(table: pd.DataFrame) -> plt.Figure:
    """Median RTO against volume size per policy, with the 10-90 % band."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for policy in _policies_in(table):
        rows = table[table["policy"] == policy].sort_values("size_bytes")
        color = POLICY_COLORS.get(policy, "grey")
        gb = rows["size_bytes"] / 2**30
        ax.plot(gb, rows["p50"], "o-", color=color, label=f"{policy} (median)")
        ax.fill_between(gb, rows["p10"], rows["p90"], color=color, alpha=0.15, linewidth=0)
    ax.set_xlabel("volume size (GiB)")
    ax.set_ylabel("RTO (s)")
    ax.set_title("RTO vs volume size (band: 10-90 %)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def rpo_by_interval(mc: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95th-percentile RPO per (policy, bandwidth, interval) at the reference size."""
    d = _one_workload(_fix(mc, "size_bytes", ()))
    g = d.groupby(["policy", "bandwidth_bps", "interval_s"], dropna=False)["rpo_s"]
    return pd.DataFrame({"mean": g.mean(), "p95": g.quantile(0.95), "n": g.size()}).reset_index()


def plot_rpo_vs_interval(table: pd.DataFrame) -> plt.Figure:
    """Per policy (panel): RPO against the protection interval, one line per bandwidth (solid
    mean, dotted 95th percentile)."""
    policies = _policies_in(table)
    rates = _rates_in(table)
    cmap = plt.get_cmap("viridis")
    fig, axes = plt.subplots(1, max(len(policies), 1), figsize=(10, 4), sharey=True,
                             squeeze=False)
    for ax, policy in zip(axes[0], policies):
        for j, rate in enumerate(rates):
            rows = _at_policy_rate(table, policy, rate)
            rows = rows.sort_values("interval_s")
            if rows.empty:
                continue
            color = cmap(j / max(len(rates) - 1, 1))
            x = rows["interval_s"] / 60
            ax.plot(x, np.maximum(rows["mean"], LOG_FLOOR_S), "o-", color=color,
                    label=format_rate(rate))
            ax.plot(x, np.maximum(rows["p95"], LOG_FLOOR_S), ":", color=color)
        _plain_log(ax)
        ax.set_xlabel("protection interval (min)")
        ax.set_title(f"{policy} policy")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8, title="bandwidth (dotted: p95)", title_fontsize=8)
    axes[0][0].set_ylabel("RPO (s, log scale)")
    fig.suptitle("RPO vs protection interval and bandwidth")
    fig.tight_layout()
    return fig


def _one_workload(d: pd.DataFrame) -> pd.DataFrame:
    """Rows of the first workload (sorted) when several are swept (curves not about sizing)."""
    if "workload" not in d or d["workload"].nunique() <= 1:
        return d
    return d[d["workload"] == sorted(d["workload"].unique())[0]]


def rpo_by_bandwidth(mc: pd.DataFrame, quantile: float = 0.95,
                     throttle: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (policy, workload, bandwidth) the ``quantile`` of the RPO at the reference interval
    and size (``workload`` is empty unless the scenario sweeps a ``workload.*`` key); with
    ``throttle`` (``throttle_by_run``), the mean ``throttled_share`` and ``completed_share``
    of the same runs (the application's cost of that RPO)."""
    d = _fix(_fix(mc, "interval_s", ()), "size_bytes", ())
    if "workload" not in d:
        d = d.assign(workload="")
    keys = ["policy", "workload", "bandwidth_bps"]
    g = d.groupby(keys)["rpo_s"]
    out = pd.DataFrame({"rpo_q": g.quantile(quantile), "mean": g.mean(), "n": g.size()})
    if throttle is not None and len(throttle):
        t = d[keys + ["run"]].drop_duplicates("run").merge(throttle, on="run")
        out = out.join(t.groupby(keys)[["throttled_share", "completed_share"]].mean())
    return out.reset_index()


def bandwidth_for_rpo(rates_bps: Sequence[float], rpo_s: Sequence[float],
                      targets_s: Sequence[float]) -> np.ndarray:
    """The bandwidth needed for each target RPO, from measured (bandwidth, RPO) points.

    More bandwidth never makes the RPO worse, so the points are made monotone (running minimum
    from low to high bandwidth) and interpolated linearly in log-log space. A target the highest
    bandwidth does not reach gives ``inf``; one the lowest already meets gives that bandwidth
    (the answer is "at most this": it is shown as such)."""
    order = np.argsort(np.asarray(rates_bps, dtype=float))
    r = np.asarray(rates_bps, dtype=float)[order]
    q = np.minimum.accumulate(np.asarray(rpo_s, dtype=float)[order])
    out = np.empty(len(targets_s))
    for i, target in enumerate(targets_s):
        if not len(r) or target < q[-1]:
            out[i] = math.inf
        elif target >= q[0]:
            out[i] = r[0]
        else:
            # q is non-increasing in r; the first index where q <= target brackets the answer.
            k = int(np.argmax(q <= target))
            q0, q1, r0, r1 = q[k - 1], q[k], r[k - 1], r[k]
            if q1 == q0 or q1 <= 0 or q0 <= 0 or target <= 0:
                out[i] = r1
            else:
                f = (math.log(target) - math.log(q0)) / (math.log(q1) - math.log(q0))
                out[i] = math.exp(math.log(r0) + f * (math.log(r1) - math.log(r0)))
    return out


#: Target RPOs the sizing figure tabulates.
TARGET_RPOS_S = (10.0, 60.0, 300.0, 900.0)
#: A sizing answer must also keep the application's writes throttled (``writes.csv``:
#: held back by DRBD blocking, protocol C or a VM snapshot) below this share of the run.
MAX_THROTTLED = 0.05


def throttle_by_run(writes: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Per run (the most throttled VM): ``throttled_share`` = Σ ``throttled_s`` / the run's
    duration and ``completed_share`` = completed / requested bytes (``writes.csv``; the writer
    is closed-loop, so a held-back writer also requests less: read the throttled share)."""
    dur = runs.drop_duplicates("run").set_index("run")["duration_s"].astype(float)
    g = writes.groupby(["run", "vm"])
    per = pd.DataFrame({"throttled_s": g["throttled_s"].sum(), "req": g["requested_bytes"].sum(),
                        "done": g["completed_bytes"].sum()}).reset_index()
    per["throttled_share"] = per["throttled_s"] / per["run"].map(dur)
    per["completed_share"] = per["done"] / per["req"].where(per["req"] > 0)
    out = per.groupby("run").agg(throttled_share=("throttled_share", "max"),
                                 completed_share=("completed_share", "min"))
    return out.reset_index()


def bandwidth_for_rpo_and_throttle(table: pd.DataFrame, target_s: float,
                                   max_throttled: float = MAX_THROTTLED) -> float:
    """The lowest measured bandwidth of ``table`` (one policy and workload: ``bandwidth_bps``,
    ``rpo_q``, ``throttled_share``) whose RPO quantile meets ``target_s`` **and** whose writes
    are throttled less than ``max_throttled`` of the time; ``inf`` when none does. No
    interpolation: throttling is not monotone enough to interpolate between points."""
    ok = table[(table["rpo_q"] <= target_s) & (table["throttled_share"] < max_throttled)]
    return float(ok["bandwidth_bps"].min()) if len(ok) else math.inf



def plot_bandwidth_for_rpo(table: pd.DataFrame, quantile: float = 0.95,
                           targets_s: Sequence[float] = TARGET_RPOS_S) -> plt.Figure:
    """Sizing: (a) the RPO a bandwidth buys (``quantile`` of the RPO vs bandwidth); (b) the
    bandwidth needed for a target RPO, interpolated from (a), for the scenario's workload."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    pct = int(round(quantile * 100))
    if "workload" not in table:
        table = table.assign(workload="")
    workloads = sorted(table["workload"].unique())
    for policy, (wi, workload) in itertools.product(_policies_in(table), enumerate(workloads)):
        rows = table[(table["policy"] == policy) & (table["workload"] == workload)] \
            .sort_values("bandwidth_bps")
        if rows.empty:
            continue
        color = POLICY_COLORS.get(policy, "grey")
        style = _RATE_STYLES[wi % len(_RATE_STYLES)]
        label = f"{policy}, {workload}" if workload else policy
        a.plot(rows["bandwidth_bps"] / 1e6, np.maximum(rows["rpo_q"], LOG_FLOOR_S), "o" + style,
               color=color, label=label)
        lo, hi = max(rows["rpo_q"].min(), LOG_FLOOR_S), max(rows["rpo_q"].max(), LOG_FLOOR_S)
        grid = np.geomspace(lo * 0.999, hi * 1.001, 64) if hi > lo else np.array([lo])
        need = bandwidth_for_rpo(rows["bandwidth_bps"], rows["rpo_q"], grid)
        ok = np.isfinite(need)
        b.plot(grid[ok], need[ok] / 1e6, style, color=color, label=label)
        tneed = bandwidth_for_rpo(rows["bandwidth_bps"], rows["rpo_q"], targets_s)
        for t, n in zip(targets_s, tneed):
            if np.isfinite(n):
                at_most = t >= rows["rpo_q"].iloc[0]  # the lowest bandwidth already meets it
                b.plot([t], [n / 1e6], "v" if at_most else "o", color=color, ms=4)
                b.annotate(f"{'<=' if at_most else ''}{n / 1e6:.3g}", (t, n / 1e6),
                           textcoords="offset points", xytext=(4, 4), fontsize=7, color=color)
    for t in targets_s:
        a.axhline(t, color="grey", lw=0.6, ls=":")
        a.annotate(f"target {t:g} s", (1, t), xycoords=("axes fraction", "data"), xytext=(-2, 2),
                   textcoords="offset points", ha="right", va="bottom", fontsize=7, color="grey")
        b.axvline(t, color="grey", lw=0.6, ls=":")
        b.annotate(f"target {t:g} s", (t, 1), xycoords=("data", "axes fraction"), xytext=(2, -2),
                   textcoords="offset points", ha="left", va="top", fontsize=7, color="grey",
                   rotation=90)
    _plain_log(a, "x")
    _plain_log(a)
    a.set_xlabel("bandwidth (Mbit/s)")
    a.set_ylabel(f"RPO p{pct} (s)")
    a.set_title(f"(a) RPO a bandwidth buys (p{pct})")
    _plain_log(b, "x")
    _plain_log(b)
    b.set_xlabel(f"target RPO, p{pct} (s)")
    b.set_ylabel("bandwidth needed (Mbit/s)")
    b.set_title("(b) bandwidth needed for a target RPO")
    for ax in (a, b):
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    n_min = int(table["n"].min()) if "n" in table and len(table) else 0
    warn = f"\np{pct} from only {n_min} runs per point (fewer than {MIN_QUANTILE_SAMPLES}): close to the maximum, not a p{pct}" \
        if n_min < MIN_QUANTILE_SAMPLES else ""
    fig.suptitle("Sizing the WAN for the scenario's write workload" + warn)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# One call per notebook
# --------------------------------------------------------------------------------------------

def save(fig: plt.Figure, name: str, root: str | os.PathLike | None = None,
         dpi: int = 150) -> Path:
    """Saves ``fig`` as ``<Results>/paper/<name>`` and closes it."""
    path = figure_path(name, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    thin_log_ticks(fig)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def figure7(root=None) -> tuple[Path, pd.DataFrame]:
    """Fig. 7 from ``fig7-protection-vs-volume-size``; returns the PNG path and the table."""
    d = read_scenario(SCENARIO_FIG7, ("runs", "protection"), root)
    table = protection_time_by_size(d["protection"], d["runs"])
    return save(plot_fig7(table), "fig7.png", root), table


def figure8(root=None) -> tuple[Path, pd.DataFrame]:
    """Fig. 8 from ``fig8-protection-vs-bandwidth``; returns the PNG path and the table."""
    d = read_scenario(SCENARIO_FIG8, ("runs", "protection"), root)
    table = protection_time_by_bandwidth(d["protection"], d["runs"])
    return save(plot_fig8(table), "fig8.png", root), table


def figure9(root=None) -> tuple[Path, pd.DataFrame]:
    """Fig. 9 from ``fig9-traffic``; returns the PNG path and the final totals per point."""
    d = read_scenario(SCENARIO_TRAFFIC, ("runs", "traffic"), root)
    runs = d["runs"]
    if runs["policy"].isna().any() and (scenario_dir(SCENARIO_TRAFFIC, root) /
                                        "protection.csv").is_file():
        runs = with_policy(runs, read_table(scenario_dir(SCENARIO_TRAFFIC, root), "protection"))
    table = cumulative_by_point(d["traffic"], runs)
    totals = table.sort_values("t_end_s").groupby(["policy", "bandwidth_bps"]).tail(1) \
        .sort_values(["policy", "bandwidth_bps"], ascending=[True, False]).reset_index(drop=True)
    return save(plot_fig9(table), "fig9.png", root), totals


def figure10(root=None, window_s: float = 10.0) -> tuple[Path, pd.DataFrame]:
    """Fig. 10 from ``fig9-traffic``; returns the PNG path and the action spans it marks."""
    d = read_scenario(SCENARIO_TRAFFIC, ("runs", "traffic", "protection"), root)
    series, spans = fig10_data(d["traffic"], d["protection"], d["runs"], window_s)
    return save(plot_fig10(series, spans), "fig10.png", root), spans


def figure11(root=None) -> tuple[Path, pd.DataFrame]:
    """Fig. 11 from ``fig11-recovery``; returns the PNG path and the breakdown table."""
    d = read_scenario(SCENARIO_FIG11, ("runs", "recovery"), root)
    folder = scenario_dir(SCENARIO_FIG11, root)
    prot = read_table(folder, "protection") if (folder / "protection.csv").is_file() else None
    runs = with_policy(d["runs"], prot)
    summary = recovery_summary(d["recovery"], runs)
    breakdown = _attach(recovery_breakdown(d["recovery"]), runs, ["policy", "size_bytes"])
    return save(plot_fig11(summary, breakdown), "fig11.png", root), summary


def montecarlo(root=None, quantile: float = 0.95) -> tuple[list[Path], dict[str, pd.DataFrame]]:
    """The four Monte Carlo figures from ``montecarlo-rpo-rto``; returns PNG paths and tables."""
    d = read_scenario(SCENARIO_MONTECARLO, ("runs", "rpo", "recovery"), root)
    runs = d["runs"]
    if runs["policy"].isna().any():
        runs = runs.assign(policy=runs["policy"].fillna(runs["run"].map(infer_policy(d["rpo"]))))
    mc = montecarlo_frame(d["rpo"], runs)
    folder = scenario_dir(SCENARIO_MONTECARLO, root)
    throttle = throttle_by_run(read_table(folder, "writes"), runs) \
        if (folder / "writes.csv").is_file() else None
    tables = {
        "rto_by_size": rto_by_size(d["recovery"], runs),
        "rpo_by_interval": rpo_by_interval(mc),
        "rpo_by_bandwidth": rpo_by_bandwidth(mc, quantile, throttle),
    }
    sizing = []
    for (policy, workload), rows in tables["rpo_by_bandwidth"].groupby(["policy", "workload"]):
        need = bandwidth_for_rpo(rows["bandwidth_bps"], rows["rpo_q"], TARGET_RPOS_S)
        # "RPO met AND writes throttled < MAX_THROTTLED" (measured points only); NaN without writes.csv.
        unthrottled = [bandwidth_for_rpo_and_throttle(rows, t) if "throttled_share" in rows
                       else math.nan for t in TARGET_RPOS_S]
        sizing += [{"policy": policy, "workload": workload, "target_rpo_s": t,
                    "bandwidth_bps": n, "bandwidth_bps_unthrottled": u}
                   for t, n, u in zip(TARGET_RPOS_S, need, unthrottled)]
    tables["bandwidth_for_target_rpo"] = pd.DataFrame(sizing)
    paths = [
        save(plot_rpo_cdf(mc), "rpo_cdf.png", root),
        save(plot_rto_vs_size(tables["rto_by_size"]), "rto_vs_volume_size.png", root),
        save(plot_rpo_vs_interval(tables["rpo_by_interval"]), "rpo_vs_interval_bandwidth.png",
             root),
        save(plot_bandwidth_for_rpo(tables["rpo_by_bandwidth"], quantile),
             "bandwidth_for_target_rpo.png", root),
    ]
    return paths, tables
