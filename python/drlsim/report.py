"""``drlsim report``: tables and figures of any DRLSim result set, whatever keys were swept.

    python -m drlsim.report RESULTS_DIR [--out DIR]     # what `drlsim report` runs

writes ``report.md`` (first line :data:`MARKER`), ``report.html`` (self-contained: figures
embedded) and one PNG per figure into ``DIR`` (default ``RESULTS_DIR-report`` next to the set).

Tables, one row per sweep point and group, each with ``n`` (finished samples), ``censored``,
``mean``, ``p50``, ``p95`` and the Student-t 95 % interval of the mean over finished samples
(:mod:`drlsim.stats`, the definitions of Docs/statistics.md), ``runs`` contributing samples, and
``≥ mean`` (finished values and censored lower bounds together) where something was censored.
A row from fewer than :data:`~drlsim.stats.MIN_SAMPLES` samples or runs is flagged ``†``.

- RPO per protection action (``rpo.csv``; and per VM with ``vm_rpo_s``).
- RTO and its phases per recovery kind (``recovery.csv``): ``recovered`` rows are samples,
  ``censored`` rows (run ended first) lower bounds, ``failed`` rows are counted, not averaged.
- Protection times per action and per execution (``protection.csv``): ``completed`` and
  ``overlapped`` are samples; ``censored`` lower bounds; ``aborted`` (cut by the disaster),
  ``skipped`` and ``queued`` are counted only. Sets written before the ``censored`` status
  marked actions cut by the run's end ``aborted`` with ``end_s`` = the run's end: those count
  as censored here (0-second stubs due at the end are dropped, as the newer format does).
- Traffic per class (``traffic.csv``): per run, total bytes and mean rate.
- Write throttling per VM (``writes.csv``): per run, the throttled share of the run, the
  completed write throughput, the largest bin p99 latency.

Figures (each only when its table has rows): RPO CDF per point, RTO breakdown, traffic over
time, protection timeline, replication lag over time.

Data safety: ``DIR`` must be new, empty, or hold only a previous report (``report.md`` whose
first line is :data:`MARKER`, and only the files it lists on its second line); anything else is
refused with nothing written (exit 2), as ``drlsim run --out`` does (Docs/safety.md).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files, never windows

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .results import ResultSet, ResultSetError, load  # noqa: E402
from .stats import MIN_SAMPLES, summarize  # noqa: E402

#: First line of every report.md: marks a folder drlsim report may replace.
MARKER = "<!-- drlsim-report 1 -->"
#: Second line prefix: the other files of the report (all a replacement may delete).
FILES_PREFIX = "<!-- files: "
#: Most panels (sweep points) a per-point figure draws; the tables always hold every point.
MAX_PANELS = 6
#: Most curves of the RPO CDF per action.
MAX_CURVES = 12

FINISHED_ACTION = ("completed", "overlapped")
PHASES = (  # (name, from column, to column)
    ("detection", "disaster_s", "detected_s"),
    ("notification", "detected_s", "notified_s"),
    ("until start", "notified_s", "recovery_started_s"),
    ("recovery", "recovery_started_s", "recovered_s"),
    ("responsive", "recovered_s", "responsive_s"),
)


class ReportError(Exception):
    """A one-line reason the report cannot be written (exit 2)."""


# ------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------

@dataclass
class Table:
    """A titled table: ``rows`` of dicts sharing ``columns``; ``note`` below it."""

    title: str
    columns: list[str]
    rows: list[dict]
    note: str = ""


@dataclass
class Figure:
    title: str
    file: str
    png: bytes
    caption: str = ""


@dataclass
class Report:
    title: str
    intro: list[str]
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def _fmt(x, digits: int = 4) -> str:
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


def _point_columns(rs: ResultSet) -> list[str]:
    return ["point"] + list(rs.swept)


def _point_cells(rs: ResultSet, point: int) -> dict:
    written = rs._written.get(int(point), {})
    cells = {"point": int(point)}
    for k in rs.swept:
        cells[k] = written.get(k, "")
    return cells


def _stat_row(rs: ResultSet, point: int, group: dict, finished, censored, runs: int,
              scale: float = 1.0, extra: dict | None = None) -> dict:
    s = summarize(np.asarray(finished, dtype=float) * scale, np.asarray(censored, dtype=float) * scale)
    few = s.n < MIN_SAMPLES or runs < MIN_SAMPLES
    row = _point_cells(rs, point)
    row.update(group)
    row.update({
        "n": s.n, "censored": s.censored, "runs": runs,
        "mean": _fmt(s.mean), "p50": _fmt(s.p50), "p95": _fmt(s.p95),
        "95% CI": f"{_fmt(s.ci95_low)} – {_fmt(s.ci95_high)}" if math.isfinite(s.ci95_low) else "-",
        "≥ mean": ("≥ " + _fmt(s.lower_bound_mean)) if s.censored else "",
        "KM median": _fmt(s.km_median) if s.censored else "",
        "": "†" if few else "",
    })
    if extra:
        row.update(extra)
    return row


def _stat_columns(rs: ResultSet, group: list[str], extra: list[str] = ()) -> list[str]:
    return _point_columns(rs) + group + ["n", "censored", "runs", "mean", "p50", "p95", "95% CI",
                                         "≥ mean", "KM median"] + list(extra) + [""]


def _prune(table: Table) -> Table:
    """Drops the censoring columns when nothing was censored."""
    for col in ("≥ mean", "KM median"):
        if col in table.columns and all(not r.get(col) for r in table.rows):
            table.columns.remove(col)
    return table


FEW_NOTE = (f"† fewer than {MIN_SAMPLES} finished samples or runs: indicative only (a p95 of "
            f"3 values is their largest). n: finished samples; censored: cut off by the run's end "
            f"(their values are lower bounds, never averaged as finished); runs: runs contributing.")


def _run_durations(rs: ResultSet) -> dict[int, float]:
    runs = rs.get("runs")
    if runs is None or runs.empty or "duration_s" not in runs.columns:
        return {}
    return dict(zip(runs["run"].astype(int), runs["duration_s"].astype(float)))


def rpo_tables(rs: ResultSet) -> list[Table]:
    rpo = rs.get("rpo")
    if rpo is None or rpo.empty:
        return []
    out = []
    t = Table("RPO (s) per protection action (rpo.csv)", _stat_columns(rs, ["action"], ["unrecoverable"]), [])
    for (point, action), g in rpo.groupby(["point", "action"], sort=True):
        none = int((g["recovery_point_s"] < 0).sum()) if "recovery_point_s" in g else 0
        t.rows.append(_stat_row(rs, point, {"action": action}, g["rpo_s"], [], g["run"].nunique(),
                                extra={"unrecoverable": none}))
    t.note = ("One sample per resource and disaster. unrecoverable: nothing ready at the disaster "
              "(rpo_s = the disaster instant). " + FEW_NOTE)
    out.append(_prune(t))
    if "vm_rpo_s" in rpo.columns and "vm" in rpo.columns:
        t = Table("RPO (s) per VM: what each VM's recovery depends on (rpo.vm_rpo_s)", _stat_columns(rs, ["vm"]), [])
        per_vm = rpo.drop_duplicates(["run", "disaster_s", "vm"])
        for (point, vm), g in per_vm.groupby(["point", "vm"], sort=True):
            t.rows.append(_stat_row(rs, point, {"vm": vm}, g["vm_rpo_s"], [], g["run"].nunique()))
        t.note = "One sample per disaster and VM. " + FEW_NOTE
        out.append(_prune(t))
    return out


def _recovery_kind(rec: pd.DataFrame) -> pd.Series:
    return rec["kind"] if "kind" in rec.columns else pd.Series(["failover"] * len(rec), index=rec.index)


def rto_tables(rs: ResultSet) -> list[Table]:
    rec = rs.get("recovery")
    if rec is None or rec.empty or "rto_s" not in rec.columns:
        return []
    rec = rec.assign(_kind=_recovery_kind(rec))
    status = rec["status"] if "status" in rec.columns else pd.Series(["recovered"] * len(rec), index=rec.index)
    rec = rec.assign(_status=status)
    t = Table("RTO and its phases (s) per recovery kind (recovery.csv)",
              _stat_columns(rs, ["kind", "metric"], ["failed"]), [])
    for (point, kind), g in rec.groupby(["point", "_kind"], sort=True):
        ok = g[g["_status"] == "recovered"]
        cens = g[g["_status"] == "censored"]
        failed = int((g["_status"] == "failed").sum())
        runs = g["run"].nunique()
        t.rows.append(_stat_row(rs, point, {"kind": kind, "metric": "rto"}, ok["rto_s"], cens["rto_s"], runs,
                                extra={"failed": failed}))
        for name, a, b in PHASES:
            if a in g.columns and b in g.columns:
                t.rows.append(_stat_row(rs, point, {"kind": kind, "metric": name}, ok[b] - ok[a], [], runs,
                                        extra={"failed": ""}))
    t.note = ("rto: disaster -> responsive (recovered rows); a censored row's rto_s (run ended during "
              "the recovery) is a lower bound; failed recoveries are counted, not averaged. Phases over "
              "recovered rows: detection = detected - disaster, notification = notified - detected, "
              "until start = started - notified, recovery = recovered - started, responsive = "
              "responsive - recovered. " + FEW_NOTE)
    return [_prune(t)]


def summary_tables(rs: ResultSet) -> list[Table]:
    """drlsim's own ``<name>_summary.csv`` tables (per point: mean, sd, Student-t 95 % interval of
    the per-replication means of a column, as the scenario's ``summaries`` asked), shown as they
    are with the point's swept values; flagged below :data:`MIN_SAMPLES` replications."""
    out = []
    for name in sorted(rs):
        frame = rs[name]
        if not name.endswith("_summary") or name == "dr_summary" or frame.empty or "mean" not in frame.columns:
            continue
        t = Table(f"{name}.csv (drlsim's summary across replications)",
                  _point_columns(rs) + ["table", "column", "replications", "mean", "sd", "95% CI", ""], [])
        for r in frame.to_dict("records"):
            row = _point_cells(rs, r["point"])
            reps = int(r.get("replications", 0))
            row.update({"table": r.get("table", ""), "column": r.get("column", ""), "replications": reps,
                        "mean": _fmt(r.get("mean")), "sd": _fmt(r.get("sd")),
                        "95% CI": f"{_fmt(r.get('ci95_low'))} – {_fmt(r.get('ci95_high'))}",
                        "": "†" if reps < MIN_SAMPLES else ""})
            t.rows.append(row)
        t.note = f"† fewer than {MIN_SAMPLES} replications: indicative only."
        out.append(t)
    return out


def classify_protection(rs: ResultSet) -> pd.DataFrame | None:
    """``protection.csv`` with ``_class`` = finished / censored / aborted / marker / stub.

    ``censored`` rows (newer format) are censored; an ``aborted`` row whose ``end_s`` is the
    run's end (format before ``censored``) is censored too, unless it lasted 0 s (a stub due at
    the end: ``stub``, dropped)."""
    prot = rs.get("protection")
    if prot is None or prot.empty:
        return None
    ends = _run_durations(rs)
    run_end = prot["run"].map(ends).astype(float)
    at_end = np.isclose(prot["end_s"].astype(float), run_end, rtol=0, atol=1e-6)
    cls = np.where(prot["status"].isin(FINISHED_ACTION), "finished",
          np.where(prot["status"] == "censored", "censored",
          np.where(prot["status"] == "aborted", "aborted", "marker")))
    old_censored = (prot["status"] == "aborted") & at_end
    cls = np.where(old_censored & (prot["duration_s"].astype(float) <= 0), "stub",
          np.where(old_censored, "censored", cls))
    return prot.assign(_class=cls)


def protection_tables(rs: ResultSet) -> list[Table]:
    prot = classify_protection(rs)
    if prot is None:
        return []
    t = Table("Protection times (s) per action (protection.csv)", _stat_columns(rs, ["action"], ["aborted", "skipped/queued"]), [])
    for (point, action), g in prot.groupby(["point", "action"], sort=True):
        fin = g[g["_class"] == "finished"]
        cen = g[g["_class"] == "censored"]
        t.rows.append(_stat_row(rs, point, {"action": action}, fin["duration_s"], cen["duration_s"],
                                g[g["_class"].isin(["finished", "censored"])]["run"].nunique(),
                                extra={"aborted": int((g["_class"] == "aborted").sum()),
                                       "skipped/queued": int((g["_class"] == "marker").sum())}))
    acts = prot[prot["_class"].isin(["finished", "censored", "aborted"])]
    if "execution" in acts.columns and not acts.empty:
        ex = acts.groupby(["point", "run", "execution"]).agg(start=("start_s", "min"), end=("end_s", "max"),
                                                           cens=("_class", lambda c: (c == "censored").any()),
                                                           abort=("_class", lambda c: (c == "aborted").any()))
        ex = ex.reset_index()
        ex["span"] = ex["end"] - ex["start"]
        for point, g in ex.groupby("point", sort=True):
            ok = g[~g["cens"] & ~g["abort"]]
            t.rows.append(_stat_row(rs, point, {"action": "(execution)"}, ok["span"], g[g["cens"] & ~g["abort"]]["span"],
                                    g["run"].nunique(), extra={"aborted": int(g["abort"].sum()), "skipped/queued": ""}))
    t.rows.sort(key=lambda r: r["point"])
    t.note = ("completed/overlapped actions are samples; censored (cut by the run's end) are lower bounds; "
              "aborted (cut by the disaster) and skipped/queued markers are counted only. (execution): last "
              "end - first start of an execution's actions. " + FEW_NOTE)
    return [_prune(t)]


def traffic_tables(rs: ResultSet) -> list[Table]:
    tr = rs.get("traffic")
    if tr is None or tr.empty:
        return []
    ends = _run_durations(rs)
    cols = ["class"] + (["direction"] if "direction" in tr.columns and tr["direction"].nunique() > 1 else [])
    per_run = tr.groupby(["point", "run"] + cols)["bytes"].sum().reset_index()
    per_run["dur"] = per_run["run"].map(ends).astype(float)
    per_run["rate"] = per_run["bytes"] * 8 / per_run["dur"] / 1e6
    t = Table("Traffic per class (traffic.csv): mean rate over the run (Mbit/s) and total (MB)",
              _stat_columns(rs, cols + ["metric"]), [])
    for key, g in per_run.groupby(["point"] + cols, sort=True):
        point, *grp = key
        if g["bytes"].sum() == 0:
            continue
        group = dict(zip(cols, grp))
        t.rows.append(_stat_row(rs, point, {**group, "metric": "rate Mbit/s"}, g["rate"], [], g["run"].nunique()))
        t.rows.append(_stat_row(rs, point, {**group, "metric": "total MB"}, g["bytes"] / 1e6, [], g["run"].nunique()))
    t.note = "One sample per run (classes that sent nothing are left out). Mbit = 10^6 bit, MB = 10^6 B. " + FEW_NOTE
    return [_prune(t)] if t.rows else []


def writes_tables(rs: ResultSet) -> list[Table]:
    w = rs.get("writes")
    if w is None or w.empty or "vm" not in w.columns:
        return []
    ends = _run_durations(rs)
    agg = {}
    if "throttled_s" in w.columns:
        agg["throttled"] = ("throttled_s", "sum")
    if "completed_bytes" in w.columns:
        agg["completed"] = ("completed_bytes", "sum")
    if "latency_p99_s" in w.columns:
        agg["p99"] = ("latency_p99_s", "max")
    if not agg:
        return []
    per = w.groupby(["point", "run", "vm"]).agg(**agg).reset_index()
    per["dur"] = per["run"].map(ends).astype(float)
    t = Table("Write throttling per VM (writes.csv)", _stat_columns(rs, ["vm", "metric"]), [])
    for (point, vm), g in per.groupby(["point", "vm"], sort=True):
        runs = g["run"].nunique()
        if "throttled" in g:
            t.rows.append(_stat_row(rs, point, {"vm": vm, "metric": "throttled share"}, g["throttled"] / g["dur"], [], runs))
        if "completed" in g:
            t.rows.append(_stat_row(rs, point, {"vm": vm, "metric": "completed Mbit/s"}, g["completed"] * 8 / g["dur"] / 1e6, [], runs))
        if "p99" in g:
            t.rows.append(_stat_row(rs, point, {"vm": vm, "metric": "latency p99 s (largest bin)"}, g["p99"], [], runs))
    t.note = ("One sample per run: throttled share = Σ throttled_s / the run's duration (time the application's "
              "writes were held back by protection); completed = Σ completed_bytes x 8 / duration. " + FEW_NOTE)
    return [_prune(t)]


def dr_samples(rs: ResultSet):
    """Yields ``(point, metric, group, finished, censored)`` in ``dr_summary.csv``'s naming
    (Docs/statistics.md), from the same rules as the tables: what :func:`crosscheck` compares."""
    prot = classify_protection(rs)
    if prot is not None:
        for (point, action), g in prot.groupby(["point", "action"], sort=True):
            yield (point, "protection.duration_s", f"action={action}",
                   g[g["_class"] == "finished"]["duration_s"], g[g["_class"] == "censored"]["duration_s"])
        acts = prot[prot["_class"].isin(["finished", "censored", "aborted"])]
        if "execution" in acts.columns and not acts.empty:
            ex = acts.groupby(["point", "run", "execution"]).agg(
                start=("start_s", "min"), end=("end_s", "max"),
                cens=("_class", lambda c: (c == "censored").any()),
                abort=("_class", lambda c: (c == "aborted").any())).reset_index()
            ex["span"] = ex["end"] - ex["start"]
            for point, g in ex.groupby("point", sort=True):
                yield (point, "protection.execution_s", "", g[~g["cens"] & ~g["abort"]]["span"],
                       g[g["cens"] & ~g["abort"]]["span"])
    rpo = rs.get("rpo")
    if rpo is not None and not rpo.empty:
        for (point, action), g in rpo.groupby(["point", "action"], sort=True):
            yield point, "rpo.rpo_s", f"action={action}", g["rpo_s"], []
    rec = rs.get("recovery")
    if rec is not None and not rec.empty and "status" in rec.columns:
        rec = rec.assign(_kind=_recovery_kind(rec))
        for (point, kind), g in rec.groupby(["point", "_kind"], sort=True):
            yield (point, "recovery.rto_s", f"kind={kind}", g[g["status"] == "recovered"]["rto_s"],
                   g[g["status"] == "censored"]["rto_s"])


def crosscheck(rs: ResultSet) -> str | None:
    """Compares n, censored and mean of :func:`dr_samples` with ``dr_summary.csv`` (drlsim's own
    DurationSummary) when the set has one: a sentence for the report, None without it."""
    summary = rs.get("dr_summary")
    if summary is None or summary.empty:
        return None
    theirs = {(int(r.point), r.metric, "" if pd.isna(r.group) else str(r.group)): r
              for r in summary.itertuples(index=False)}
    checked, differ = 0, []
    for point, metric, group, finished, censored in dr_samples(rs):
        if metric == "protection.execution_s":
            continue  # dr_summary counts an execution with an aborted action as finished (Docs/python.md)
        row = theirs.get((int(point), metric, group))
        if row is None:
            continue
        s = summarize(np.asarray(finished, dtype=float), np.asarray(censored, dtype=float))
        same_mean = (math.isnan(s.mean) and math.isnan(float(row.mean))) or \
            math.isclose(s.mean, float(row.mean), rel_tol=1e-9, abs_tol=1e-9)
        checked += 1
        if s.n != int(row.n) or s.censored != int(row.censored) or not same_mean:
            differ.append(f"point {int(point)} {metric} {group}: report n={s.n} censored={s.censored} "
                          f"mean={_fmt(s.mean)}, dr_summary n={int(row.n)} censored={int(row.censored)} "
                          f"mean={_fmt(float(row.mean))}")
    if not differ:
        return (f"Cross-check: n, censored and mean of all {checked} groups agree with `dr_summary.csv` "
                f"(drlsim's own statistics).")
    return (f"**Cross-check: {len(differ)} of {checked} groups differ from `dr_summary.csv`** "
            f"(first: {differ[0]}).")


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------

def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _pick(points: list[int], most: int) -> list[int]:
    if len(points) <= most:
        return points
    idx = np.unique(np.round(np.linspace(0, len(points) - 1, most)).astype(int))
    return [points[i] for i in idx]


def _label(rs: ResultSet, point: int) -> str:
    """The point's swept values as written (``replication, 5GiB``); keys in :func:`_keys`."""
    if not rs.swept:
        return f"point {int(point)}"
    written = rs._written.get(int(point), {})
    label = ", ".join(written.get(k, "?") for k in rs.swept)
    return label if len(label) <= 48 else label[:45] + "..."


def _keys(rs: ResultSet) -> str:
    """Legend title: the swept keys, in the order of :func:`_label`'s values."""
    return ", ".join(rs.swept) if rs.swept else ""


def _panels(rs: ResultSet, points: list[int], title: str):
    shown = _pick(points, MAX_PANELS)
    n = len(shown)
    ncols = 1 if n == 1 else 2
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.4 * ncols, 3.3 * nrows + 0.6), squeeze=False,
                             layout="constrained")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    caption = "" if n == len(points) else f"{n} of {len(points)} points drawn (evenly spaced); the tables hold all."
    fig.suptitle(title + (f"\npanels: {_keys(rs)}" if rs.swept else ""), fontsize=10)
    return fig, list(zip(shown, axes.flat)), caption


def _first_run(frame: pd.DataFrame, point: int) -> pd.DataFrame:
    g = frame[frame["point"] == point]
    if g.empty:
        return g
    return g[g["run"] == g["run"].min()]


def figure_rpo_cdf(rs: ResultSet) -> Figure | None:
    rpo = rs.get("rpo")
    if rpo is None or rpo.empty:
        return None
    actions = sorted(rpo["action"].unique())
    ncols = min(2, len(actions))
    nrows = math.ceil(len(actions) / ncols)
    most = max(min(MAX_CURVES, rpo[rpo["action"] == a]["point"].nunique()) for a in actions)
    legend_rows = most if most <= 4 else math.ceil(most / 2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.4 * ncols, (3.6 + 0.17 * legend_rows + 0.5) * nrows),
                             squeeze=False, layout="constrained")
    for ax in axes.flat[len(actions):]:
        ax.set_visible(False)
    cmap = plt.get_cmap("viridis")
    hidden = 0
    for ax, action in zip(axes.flat, actions):
        sub = rpo[rpo["action"] == action]
        points = sorted(sub["point"].unique())
        shown = _pick(points, MAX_CURVES)
        hidden += len(points) - len(shown)
        for i, point in enumerate(shown):
            v = np.sort(sub[sub["point"] == point]["rpo_s"].astype(float).values)
            if len(v) == 0:
                continue
            y = np.arange(1, len(v) + 1) / len(v)
            few = len(v) < MIN_SAMPLES
            ax.step(np.concatenate([[v[0]], v]), np.concatenate([[0], y]), where="post", linewidth=1.5,
                    color=cmap(i / max(1, len(shown) - 1)), linestyle="--" if few else "-",
                    label=_label(rs, point) + (f" (n={len(v)} †)" if few else f" (n={len(v)})"))
        ax.set_ylim(0, 1.02)
        top = float(sub["rpo_s"].max())
        top = top if math.isfinite(top) and top > 0 else 1.0
        ax.set_xlim(-0.02 * top, top * 1.05)  # a curve at 0 (DRBD in sync) stays visible
        ax.set_xlabel("RPO (s)")
        ax.set_ylabel("fraction of disasters ≤ x")
        ax.set_title(action)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2 if len(shown) > 4 else 1,
                  title=_keys(rs) or None, title_fontsize=7)
    caption = "Empirical CDF of rpo_s per action, one curve per sweep point; dashed † = fewer than 5 samples."
    if hidden:
        caption += f" At most {MAX_CURVES} curves per action (evenly spaced points); the table holds all."
    return Figure("RPO CDF per point", "rpo_cdf.png", _png(fig), caption)


def figure_rto_breakdown(rs: ResultSet) -> Figure | None:
    rec = rs.get("recovery")
    if rec is None or rec.empty:
        return None
    rec = rec.assign(_kind=_recovery_kind(rec))
    if "status" in rec.columns:
        rec = rec[rec["status"] == "recovered"]
    if rec.empty:
        return None
    phases = [(n, a, b) for n, a, b in PHASES if a in rec.columns and b in rec.columns]
    groups = sorted({(int(p), k) for p, k in zip(rec["point"], rec["_kind"])})
    means = np.array([[float((g[b] - g[a]).mean()) for _, a, b in phases]
                      for p, k in groups for g in [rec[(rec["point"] == p) & (rec["_kind"] == k)]]])
    means = np.nan_to_num(means)
    total = means.sum(axis=1)
    fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(groups) + 2.0), layout="constrained")
    y = np.arange(len(groups))
    left = np.zeros(len(groups))
    colors = plt.get_cmap("tab10")
    small = []
    for j, (name, _, _) in enumerate(phases):
        share = (means[:, j] / np.maximum(total, 1e-12)).max()
        visible = share >= 0.01
        if not visible:
            small.append(f"{name} (≤ {_fmt(means[:, j].max(), 3)} s)")
        ax.barh(y, means[:, j], left=left, color=colors(j), label=name if visible else None)
        left += means[:, j]
    for i, (p, k) in enumerate(groups):
        g = rec[(rec["point"] == p) & (rec["_kind"] == k)]
        vals = g["rto_s"].astype(float).values
        ax.plot(vals, np.full(len(vals), y[i]), "k|", markersize=14, label="RTO of each run" if i == 0 else None)
        ax.text(left[i], y[i], f"  {_fmt(total[i], 3)} s (n={len(vals)}{' †' if len(vals) < MIN_SAMPLES else ''})",
                va="center", fontsize=8)
    ax.set_yticks(y)
    kinds = {k for _, k in groups}
    ax.set_yticklabels([_label(rs, p) + (f" [{k}]" if len(kinds) > 1 else "") for p, k in groups], fontsize=8)
    if rs.swept:
        ax.set_ylabel(_keys(rs), fontsize=8)
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.set_xlabel("seconds after the disaster (mean per phase)")
    rto = rec["rto_s"].astype(float)
    ax.set_xlim(0, max([1e-9, float(left.max())] + [float(x) for x in rto[np.isfinite(rto)]]) * 1.3)
    fig.legend(loc="outside lower center", ncol=6, fontsize=8)
    ax.set_title("RTO breakdown (recovered rows)")
    caption = "Stacked mean phases; ticks: RTO of each recovered run."
    if small:
        caption += " Phases under 1 % of the bar, not drawn visibly: " + ", ".join(small) + "."
    return Figure("RTO breakdown", "rto_breakdown.png", _png(fig), caption)


def figure_traffic(rs: ResultSet) -> Figure | None:
    tr = rs.get("traffic")
    if tr is None or tr.empty:
        return None
    if "direction" in tr.columns and tr["direction"].nunique() > 1:
        first = tr["direction"].iloc[0]
        tr = tr[tr["direction"] == first]
        note = f" Direction {first} only."
    else:
        note = ""
    points = sorted(tr["point"].unique())
    fig, panels, caption = _panels(rs, points, "Traffic over time (mean over replications)")
    classes = sorted(c for c, g in tr.groupby("class") if g["bytes"].sum() > 0)
    colors = {c: plt.get_cmap("tab10")(i) for i, c in enumerate(classes)}
    for point, ax in panels:
        g = tr[tr["point"] == point]
        for c in classes:
            s = g[g["class"] == c].groupby("t_s")["rate_bps"].mean()
            if len(s) and s.max() > 0:
                ax.plot(s.index / 60.0, s.values / 1e6, label=c, color=colors[c], linewidth=1)
        ax.set_title(_label(rs, point), fontsize=9)
        ax.set_xlabel("time (min)")
        ax.set_ylabel("Mbit/s")
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="upper right")
        else:
            ax.text(0.5, 0.5, "no traffic", transform=ax.transAxes, ha="center")
    return Figure("Traffic over time", "traffic.png", _png(fig), (caption + note).strip())


def figure_protection_timeline(rs: ResultSet) -> Figure | None:
    prot = classify_protection(rs)
    if prot is None:
        return None
    prot = prot[prot["_class"].isin(["finished", "censored", "aborted"])]
    if prot.empty:
        return None
    points = sorted(prot["point"].unique())
    fig, panels, caption = _panels(rs, points, "Protection timeline (first run of each point)")
    actions = sorted(prot["action"].unique())
    colors = {a: plt.get_cmap("tab10")(i) for i, a in enumerate(actions)}
    rpo = rs.get("rpo")
    ends = _run_durations(rs)
    handles: dict = {}
    for point, ax in panels:
        g = _first_run(prot, point)
        resources = sorted(g["resource"].unique())
        ypos = {r: i for i, r in enumerate(resources)}
        run = int(g["run"].iloc[0]) if not g.empty else None
        end = ends.get(run, float(g["end_s"].max()) if not g.empty else 1.0)
        min_width = end / 60.0 * 0.004  # an action of a few seconds stays visible
        for a in actions:
            for cls, hatch in (("finished", None), ("censored", "//"), ("aborted", "xx")):
                h = g[(g["action"] == a) & (g["_class"] == cls)]
                if h.empty:
                    continue
                width = np.maximum((h["end_s"] - h["start_s"]) / 60.0, min_width)
                bars = ax.barh([ypos[r] for r in h["resource"]], width, left=h["start_s"] / 60.0, height=0.6,
                               color=colors[a], hatch=hatch, edgecolor="k", linewidth=0.3)
                handles.setdefault(a if cls == "finished" else f"{a} ({cls})", bars)
        if rpo is not None and not rpo.empty and run is not None:
            for x in rpo[rpo["run"] == run]["disaster_s"].unique():
                handles.setdefault("disaster", ax.axvline(x / 60.0, color="red", linewidth=1.2))
        ax.set_yticks(range(len(resources)))
        ax.set_yticklabels(resources, fontsize=7)
        ax.set_xlim(0, end / 60.0)
        ax.set_xlabel("time (min)")
        ax.set_title(_label(rs, point) + (f" (run {run})" if run is not None else ""), fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    fig.legend(list(handles.values()), list(handles.keys()), loc="outside lower center",
               ncol=min(4, max(1, len(handles))), fontsize=8)
    return Figure("Protection timeline", "protection_timeline.png", _png(fig),
                  (caption + " Hatched: censored (//) or aborted (xx).").strip())


def figure_replication_lag(rs: ResultSet) -> Figure | None:
    rep = rs.get("replication")
    if rep is None or rep.empty or "lag_s" not in rep.columns:
        return None
    points = sorted(rep["point"].unique())
    fig, panels, caption = _panels(rs, points, "DRBD replication lag (first run of each point)")
    for point, ax in panels:
        g = _first_run(rep, point)
        for res, h in g.groupby("resource"):
            ax.step(h["t_s"] / 60.0, h["lag_s"], where="post", label=res, linewidth=1)
        ax.set_title(_label(rs, point) + (f" (run {int(g['run'].iloc[0])})" if not g.empty else ""), fontsize=9)
        ax.set_xlabel("time (min)")
        ax.set_ylabel("lag (s)")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="upper right")
    return Figure("Replication lag over time", "replication_lag.png", _png(fig),
                  ("lag_s: age of the oldest write the peer lacks (the RPO if the primary died then). " + caption).strip())


# ------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------

def build(rs: ResultSet) -> Report:
    m = rs.manifest
    name = m.get("scenario", rs.path.name)
    intro = [
        f"Result set `{rs.path}`: scenario `{name}`, drlsim {m.get('drlsim', '?')}, "
        f"format {m.get('format')}, seed {m.get('seed', '?')}, {m.get('points', '?')} point(s) x "
        f"{m.get('replications', '?')} replication(s) = {m.get('runs', '?')} run(s), shard {m.get('shard', '?')}.",
    ]
    if m.get("shard", "all") != "all":
        intro.append(f"**This is shard {m.get('shard')}, not the whole set: merge the shards first (`drlsim merge`).**")
    reps = m.get("replications")
    if isinstance(reps, int) and reps < MIN_SAMPLES:
        intro.append(f"**Only {reps} replication(s) per point**: every statistic below is indicative (†); "
                     f"rerun with `--replications {MIN_SAMPLES * 4}` or more for intervals worth quoting.")
    has_points = "points" in rs
    if rs.swept:
        if has_points:
            units = ", ".join(f"`{k}`" + (f" ({rs.units[k] or 'number'})" if rs.units.get(k) is not None else " (text)")
                              for k in rs.swept)
        else:
            units = ", ".join(f"`{k}`" for k in rs.swept) + " (this set has no points.csv: values as written only)"
        intro.append(f"Swept: {units}. The tables show the values as written in the scenario.")
    check = crosscheck(rs)
    if check:
        intro.append(check)
    report = Report(f"DRLSim report: {name}", intro)
    if rs.swept:
        cols = _point_columns(rs)
        rows = [_point_cells(rs, p) for p in sorted(rs._written)]
        typed = [k for k in rs.swept if has_points and rs.units.get(k) is not None]
        for k in typed:
            col = f"{k} [{rs.units[k] or 'number'}]"
            cols.append(col)
            values = dict(zip(rs.points["point"].tolist(), rs.points[k].tolist()))
            for r in rows:
                r[col] = _fmt(values.get(r["point"]), 12)
        report.tables.append(Table("Sweep points", cols, rows, "As written, and as read by drlsim.load (points.csv, base units)." if typed else ""))
    for make in (rpo_tables, rto_tables, protection_tables, traffic_tables, writes_tables):
        report.tables.extend(_guarded(report, make, rs) or [])
    if len(report.tables) == (1 if rs.swept else 0):
        report.tables.extend(summary_tables(rs))
        report.intro.append("No DR tables (rpo, recovery, protection, traffic, writes) in this set"
                            + (": below, drlsim's own summary tables." if len(report.tables) > (1 if rs.swept else 0)
                               else ": nothing to summarise here.") + " `drlsim.load` reads every table.")
    for make in (figure_rpo_cdf, figure_rto_breakdown, figure_traffic, figure_protection_timeline,
                 figure_replication_lag):
        f = _guarded(report, make, rs)
        if f is not None:
            report.figures.append(f)
    return report


def _guarded(report: Report, make, rs: ResultSet):
    """``make(rs)``; a table or figure that fails on an unexpected set is left out with a line in
    the report and a warning on stderr, instead of losing the whole report."""
    try:
        return make(rs)
    except Exception as error:  # noqa: BLE001 - reported, not hidden
        name = make.__name__.replace("_", " ")
        line = f"{name} left out: {type(error).__name__}: {error}"
        report.intro.append(f"**{line}** (please report it with the result set's manifest).")
        print(f"drlsim report: warning: {line}", file=sys.stderr)
        plt.close("all")
        return None


def _md_cell(x) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    files = " ".join(["report.html"] + [f.file for f in report.figures])
    lines = [MARKER, f"{FILES_PREFIX}{files} -->", "", f"# {report.title}", ""]
    for p in report.intro:
        lines += [p, ""]
    for t in report.tables:
        lines += [f"## {t.title}", "", "| " + " | ".join(_md_cell(c) for c in t.columns) + " |",
                  "|" + "---|" * len(t.columns)]
        for r in t.rows:
            lines.append("| " + " | ".join(_md_cell(_fmt(r.get(c, ""))) for c in t.columns) + " |")
        if t.note:
            lines += ["", t.note]
        lines.append("")
    if report.figures:
        lines += ["## Figures", ""]
    for f in report.figures:
        lines += [f"### {f.title}", "", f"![{f.title}]({f.file})", ""]
        if f.caption:
            lines += [f.caption, ""]
    return "\n".join(lines)


def to_html(report: Report) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">", f"<title>{e(report.title)}</title>",
           "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
           "table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;"
           "padding:2px 6px;text-align:right}th{background:#eee}td.t{text-align:left}"
           "p.note{font-size:12px;color:#555}img{max-width:100%}</style></head><body>",
           f"<h1>{e(report.title)}</h1>"]
    for p in report.intro:
        out.append(f"<p>{_inline_md(p)}</p>")
    for t in report.tables:
        out.append(f"<h2>{e(t.title)}</h2><table><tr>" + "".join(f"<th>{e(c)}</th>" for c in t.columns) + "</tr>")
        for r in t.rows:
            cells = []
            for c in t.columns:
                v = _fmt(r.get(c, ""))
                cls = "" if _is_num(v) else " class=\"t\""
                cells.append(f"<td{cls}>{e(v)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        if t.note:
            out.append(f"<p class=\"note\">{e(t.note)}</p>")
    if report.figures:
        out.append("<h2>Figures</h2>")
    for f in report.figures:
        data = base64.b64encode(f.png).decode("ascii")
        out.append(f"<h3>{e(f.title)}</h3><img alt=\"{e(f.title)}\" src=\"data:image/png;base64,{data}\">")
        if f.caption:
            out.append(f"<p class=\"note\">{e(f.caption)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _is_num(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _inline_md(text: str) -> str:
    """Escapes ``text`` and renders its ``code`` and **bold** spans."""
    parts = html.escape(text).split("`")
    s = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    bold = s.split("**")
    return "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(bold))


# ------------------------------------------------------------------------------------------
# Writing safely
# ------------------------------------------------------------------------------------------

def previous_report_files(folder: Path) -> list[str] | None:
    """The files of a previous report in ``folder`` (report.md and those its second line lists),
    or None when ``folder`` holds anything else (then it is not ours to replace)."""
    md = folder / "report.md"
    if not md.is_file():
        return None
    try:
        with open(md, encoding="utf-8") as f:
            first, second = f.readline().rstrip("\n"), f.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if first != MARKER or not second.startswith(FILES_PREFIX) or not second.endswith(" -->"):
        return None
    listed = second[len(FILES_PREFIX):-4].split()
    if any("/" in n or n.startswith(".") or n in ("", "..") for n in listed):
        return None
    allowed = {"report.md", *listed}
    for entry in folder.iterdir():
        if entry.name not in allowed or not entry.is_file() or entry.is_symlink():
            return None
    return sorted(p.name for p in folder.iterdir())


def check_out(results: Path, out: Path) -> str:
    """Why ``out`` may be written (``"new"``, ``"empty"``, ``"report"``); raises
    :class:`ReportError` when it may not (Docs/safety.md)."""
    if str(out) == "":
        raise ReportError("--out: empty path")
    o = out.expanduser().resolve()
    r = results.resolve()
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if o == Path(o.anchor):
        raise ReportError(f"--out {out}: refusing the root folder")
    if o == home:
        raise ReportError(f"--out {out}: refusing the home folder")
    if o == cwd or o in cwd.parents:
        raise ReportError(f"--out {out}: refusing the current folder or one holding it")
    if o == r or r in o.parents or o in r.parents:
        raise ReportError(f"--out {out}: is, holds or is inside the result set {results}; choose another folder")
    if not o.exists():
        if not o.parent.is_dir():
            raise ReportError(f"--out {out}: parent folder {o.parent} does not exist")
        if not os.access(o.parent, os.W_OK):
            raise ReportError(f"--out {out}: cannot write into {o.parent}")
        return "new"
    if not o.is_dir() or o.is_symlink():
        raise ReportError(f"--out {out}: exists and is not a folder")
    if (o / ".git").exists():
        raise ReportError(f"--out {out}: holds .git; refusing")
    entries = list(o.iterdir())
    if not entries:
        return "empty"
    if previous_report_files(o) is None:
        raise ReportError(f"--out {out}: not empty and not a previous drlsim report "
                          f"(report.md starting with '{MARKER}' and only its files); refusing to replace it")
    return "report"


def write(results: str | os.PathLike, out: str | os.PathLike | None = None) -> Path:
    """Writes the report of the result set ``results`` into ``out`` (default
    ``<results>-report``); returns the folder. Raises :class:`ReportError`."""
    results = Path(results)
    try:
        rs = load(results)
    except ResultSetError as error:
        raise ReportError(str(error)) from None
    out = Path(out) if out is not None else results.resolve().parent / f"{results.resolve().name}-report"
    state = check_out(results, out)
    out = out.expanduser().resolve()
    report = build(rs)
    files = {"report.md": to_markdown(report).encode("utf-8"), "report.html": to_html(report).encode("utf-8")}
    for f in report.figures:
        files[f.file] = f.png
    tmp = out.parent / f".{out.name}.drlsim-report-tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.drlsim-report-old-{os.getpid()}"
    tmp.mkdir()
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if state == "empty":
            out.rmdir()
            tmp.rename(out)
        elif state == "report":
            previous = previous_report_files(out)
            if previous is None:
                raise ReportError(f"--out {out}: changed while the report was drawn; refusing")
            out.rename(old)
            try:
                tmp.rename(out)
            except OSError:
                old.rename(out)
                raise
            for name in previous:
                (old / name).unlink()
            old.rmdir()
        else:
            tmp.rename(out)
    finally:
        if tmp.exists():
            for name in files:
                (tmp / name).unlink(missing_ok=True)
            tmp.rmdir()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="drlsim report",
                                     description="Tables and figures of a DRLSim result set.")
    parser.add_argument("results", help="result-set folder (written by drlsim run or merge)")
    parser.add_argument("--out", help="report folder (default RESULTS-report); new, empty or a previous report")
    args = parser.parse_args(argv)
    try:
        folder = write(args.results, args.out)
    except ReportError as error:
        print(f"drlsim report: {error}", file=sys.stderr)
        return 2
    print(f"report: {folder}/report.md, {folder}/report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
