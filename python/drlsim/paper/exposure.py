"""What the paper's Figs. 8-10 runs leave at risk over time: the RPO a disaster at time t would
cause, and the vault footprint the protection builds up.

Reads ``Results/paper/fig9-traffic/`` (``runs``, ``protection``, ``replication``, ``storage``).

* RPO at t, per run. Replication policy: the largest ``lag_s`` over the DRBD resources in the
  newest ``replication.csv`` row at or before t (the age of the oldest write the backup lacks);
  0 before the first row. Snapshot policy: t minus the recovery point of the newest
  volume-snapshot action that finished by t (its ``start_s``: the clone is taken when the
  action starts), or t when none has (``rpo.csv`` counts from the start too).
* Vault footprint at t, per run: the sum of ``stored_bytes`` over the container kinds of the
  newest ``storage.csv`` instant at or before t (the rows of one ``t_s`` add up to the whole
  vault; ``stored_bytes`` counts every Swift replica, ``logical_bytes`` one copy). The replication policy's DRBD replica lives on the backup's disks, not in the vault,
  and is not counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import plots as dp

#: Time step of the curves (s).
STEP_S = 10.0
#: Actions whose end gives the snapshot policy a recovery point.
SNAPSHOT_ACTION = "volume-snapshot"


def _grid(duration: float, step: float) -> np.ndarray:
    return np.arange(0.0, duration + 1e-9, step)


def _asof(t: np.ndarray, times: np.ndarray, values: np.ndarray, before: float) -> np.ndarray:
    """The value of the newest (times, values) sample at or before each t; ``before`` earlier."""
    if len(times) == 0:
        return np.full(len(t), before, dtype=float)
    order = np.argsort(times, kind="stable")
    times, values = times[order], values[order]
    idx = np.searchsorted(times, t, side="right") - 1
    return np.where(idx >= 0, values[np.clip(idx, 0, None)], before)


def rpo_over_time(protection: pd.DataFrame, replication: pd.DataFrame, runs: pd.DataFrame,
                  step: float = STEP_S) -> pd.DataFrame:
    """One row per (run, t): ``policy``, ``bandwidth_bps``, ``t_s``, ``rpo_s`` (module doc)."""
    out = []
    for r in runs.drop_duplicates("run").itertuples(index=False):
        run = r.run
        t = _grid(float(r.duration_s), step)
        rep = replication[replication["run"] == run]
        snaps = protection[(protection["run"] == run)
                           & (protection["action"].astype(str) == SNAPSHOT_ACTION)
                           & protection["status"].astype(str).isin(["completed", "overlapped"])]
        if len(rep):
            # one series per resource, then the worst at each t
            lag = np.zeros_like(t)
            for _, g in rep.groupby("resource"):
                lag = np.maximum(lag, _asof(t, g["t_s"].to_numpy(float), g["lag_s"].to_numpy(float), 0.0))
            rpo = lag
        else:
            ends = snaps["end_s"].to_numpy(float)
            points = snaps["start_s"].to_numpy(float)
            # newest recovery point finished by t: the running maximum of points in end order
            order = np.argsort(ends, kind="stable")
            newest = np.maximum.accumulate(points[order]) if len(points) else points
            point = _asof(t, ends[order], newest, np.nan)
            rpo = np.where(np.isnan(point), t, t - point)
        out.append(pd.DataFrame({"run": run, "policy": r.policy, "bandwidth_bps": r.bandwidth_bps,
                                 "t_s": t, "rpo_s": rpo}))
    return pd.concat(out, ignore_index=True) if out else \
        pd.DataFrame(columns=["run", "policy", "bandwidth_bps", "t_s", "rpo_s"])


def vault_over_time(storage: pd.DataFrame, runs: pd.DataFrame,
                    step: float = STEP_S) -> pd.DataFrame:
    """One row per (run, t): ``policy``, ``bandwidth_bps``, ``t_s``, ``stored_bytes``,
    ``recovery_points`` of the whole vault (module doc)."""
    out = []
    for r in runs.drop_duplicates("run").itertuples(index=False):
        t = _grid(float(r.duration_s), step)
        s = storage[storage["run"] == r.run]
        whole = s.groupby("t_s").agg(stored_bytes=("stored_bytes", "sum"),
                                     recovery_points=("recovery_points", "sum")).reset_index()
        times = whole["t_s"].to_numpy(float)
        out.append(pd.DataFrame({
            "run": r.run, "policy": r.policy, "bandwidth_bps": r.bandwidth_bps, "t_s": t,
            "stored_bytes": _asof(t, times, whole["stored_bytes"].to_numpy(float), 0.0),
            "recovery_points": _asof(t, times, whole["recovery_points"].to_numpy(float), 0.0)}))
    return pd.concat(out, ignore_index=True) if out else \
        pd.DataFrame(columns=["run", "policy", "bandwidth_bps", "t_s", "stored_bytes", "recovery_points"])


def summary(rpo: pd.DataFrame, vault: pd.DataFrame) -> pd.DataFrame:
    """Per policy and bandwidth: mean and max RPO over the run (mean over replications), and
    the vault footprint and recovery points at the run's end."""
    a = rpo.groupby(["policy", "bandwidth_bps", "run"])["rpo_s"].agg(["mean", "max"]) \
        .groupby(["policy", "bandwidth_bps"]).mean() \
        .rename(columns={"mean": "rpo_mean_s", "max": "rpo_max_s"})
    last = vault.sort_values("t_s").groupby("run").tail(1)
    b = last.groupby(["policy", "bandwidth_bps"])[["stored_bytes", "recovery_points"]].mean() \
        .rename(columns={"stored_bytes": "vault_end_bytes", "recovery_points": "points_end"})
    return a.join(b).reset_index().sort_values(["policy", "bandwidth_bps"], ascending=[True, False])


def _panels(table: pd.DataFrame, column: str, ylabel: str, title: str, scale: float,
            log: bool) -> dp.plt.Figure:
    rates = sorted(table["bandwidth_bps"].dropna().unique(), reverse=True)
    fig, axes = dp.plt.subplots(1, len(rates), figsize=(4.2 * len(rates), 3.8), sharey=True,
                                squeeze=False)
    for ax, rate in zip(axes[0], rates):
        for policy in [p for p in dp.POLICIES if p in set(table["policy"])]:
            sel = table[(table["policy"] == policy) & np.isclose(table["bandwidth_bps"], rate)]
            first = sel[sel["run"] == sel["run"].min()]  # one replication: the steps stay sharp
            y = first[column] / scale
            ax.step(first["t_s"], np.maximum(y, dp.LOG_FLOOR_S) if log else y, where="post",
                    color=dp.POLICY_COLORS.get(policy, "grey"), label=policy)
        ax.set_title(dp.format_rate(rate), fontsize=10)
        ax.set_xlabel("time (s)")
        ax.grid(alpha=0.3)
        if log:
            ax.set_yscale("log")
    axes[0][0].set_ylabel(ylabel)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_rpo_over_time(rpo: pd.DataFrame) -> dp.plt.Figure:
    """RPO a disaster at t would cause, per bandwidth panel, both policies (log scale)."""
    return _panels(rpo, "rpo_s", "RPO if the primary failed at t (s)",
                   "Data at risk over the Fig. 9 runs: RPO of the volume", 1.0, True)


def plot_vault_over_time(vault: pd.DataFrame) -> dp.plt.Figure:
    """Vault footprint (GB) over time, per bandwidth panel, both policies."""
    return _panels(vault, "stored_bytes", "stored in the vault, all replicas (GB)",
                   "Backup-site vault footprint over the Fig. 9 runs", 1e9, False)


def figure(root=None) -> tuple[list, pd.DataFrame]:
    """Both figures from ``fig9-traffic``; returns the PNG paths and the summary table."""
    d = dp.read_scenario(dp.SCENARIO_TRAFFIC, ("runs", "protection", "replication", "storage"), root)
    runs = dp.with_policy(d["runs"], d["protection"])
    rpo = rpo_over_time(d["protection"], d["replication"], runs)
    vault = vault_over_time(d["storage"], runs)
    pngs = [dp.save(plot_rpo_over_time(rpo), "rpo_over_time.png", root),
            dp.save(plot_vault_over_time(vault), "vault_over_time.png", root)]
    return pngs, summary(rpo, vault)
