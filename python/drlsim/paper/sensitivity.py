"""The paper's Fig. 8-10 statements evaluated per setting of a sensitivity sweep.

``Scenarios/studies/fig8-10-sensitivity.yaml`` repeats the Fig. 8-10 runs (both policies at
500, 100 and 50 Mbit/s) over settings the paper leaves unstated: the volume size, the
transcoder's output per input byte and whether it keeps transcoding for the whole run. Each
setting is judged with exactly the code of ``claims.py`` (``claims_fig8/9/10`` on the setting's
runs), so a cell here means what the same row of ``Results/paper/claims.md`` means.
``claims_by_setting()`` returns one row per setting with one boolean column per statement;
``write_sensitivity()`` writes the Markdown table and a map of which statements hold where.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import claims as C  # noqa: E402
from . import plots as dp  # noqa: E402

#: Swept columns that define a figure point rather than a setting.
POINT_KEYS = {*dp.RATE_KEYS, *dp.POLICY_KEYS}
#: Short labels of the statements, in claims.py's order.
SHORT = {
    "snapshot policy: protection time grows as bandwidth falls": "Fig 8 snapshot grows",
    "replication policy: protection time grows as bandwidth falls": "Fig 8 replication grows",
    "half the time of snapshot, per policy execution": "Fig 8 half the time",
    "half the time of snapshot, per VM action": "Fig 8 half (VM action)",
    "slows image copy less than VM snapshot": "Fig 8 image copy less hit",
    "the replication policy sends more data over the run than the snapshot policy":
        "Fig 9 replication sends more",
    "the replication curve has flat periods": "Fig 9 flat periods",
    "the replication curve jumps at the protection actions": "Fig 9 replication jumps",
    "each snapshot action shows two peaks": "Fig 10 two peaks",
    "the replication policy sends less data than the snapshot policy": "Fig 10 replication sends less",
    "snapshot actions overlap": "Fig 10 snapshots overlap",
    "replication actions do not overlap": "Fig 10 replication no overlap",
    "overlapping snapshot actions finish": "Fig 10 overlapping snapshots finish",
}


def _short(claim: str) -> str:
    return next((v for k, v in SHORT.items() if k in claim), claim)


def setting_columns(runs: pd.DataFrame) -> list[str]:
    """The swept key columns of ``runs.csv`` that are neither the bandwidth nor the policy."""
    fixed = {"run", "point", "replication", "scenario", "seed", "duration_s", "events"}
    return [c for c in runs.columns if "." in c and c not in fixed and c not in POINT_KEYS]


def _subset(d: dict, ids: set) -> dict:
    return {name: t[t["run"].isin(ids)] for name, t in d.items()}


def claims_by_setting(root=None, tables: dict | None = None) -> pd.DataFrame:
    """One row per setting: its swept values, one boolean column per Fig. 8-10 statement
    (claims.py), ``holding`` (how many hold), ``ratio_50`` (the snapshot / replication protection
    time ratio claims.py judged at the bandwidth closest to 50 Mbit/s) and ``details``
    (claims.py's numbers, ``; ``-joined)."""
    d = tables if tables is not None else _read(root)
    runs = d["runs"]
    cols = setting_columns(runs)
    written = runs.attrs.get("written", {})
    rows = []
    for values, group in (runs.groupby(cols, sort=False, dropna=False) if cols else [((), runs)]):
        values = values if isinstance(values, tuple) else (values,)
        sub = _subset(d, set(group["run"]))
        found = C.claims_fig8(tables=sub) + C.claims_fig9(tables=sub) + C.claims_fig10(tables=sub)
        row = dict(zip(cols, values))
        # Label a setting as the scenario wrote it (1GiB, true), not by its typed value.
        point = group["point"].iloc[0]
        row.update({c: written[c][point] for c in cols if c in written and point in written[c]})
        for f in found:
            row[_short(f["claim"])] = f["holds"]
        row["holding"] = sum(bool(f["holds"]) for f in found)
        half = [f["value"] for f in found if "per policy execution" in f["claim"]]
        row["ratio_50"] = half[0] if half else float("nan")
        row["details"] = "; ".join(f["ours"] for f in found)
        rows.append(row)
    return pd.DataFrame(rows)


def _read(root=None) -> dict:
    folder = dp.scenario_dir(dp.SCENARIO_SENSITIVITY, root, dp.STUDY_SET)
    out = {t: dp.read_table(folder, t) for t in ("runs", "protection", "traffic")}
    out["runs"] = dp.sweep_frame(out["runs"])
    return out


def statement_columns(table: pd.DataFrame) -> list[str]:
    """The statement columns of a ``claims_by_setting`` table, in claims.py's order."""
    return [v for v in SHORT.values() if v in table.columns]


def _settings_in(table: pd.DataFrame) -> list[str]:
    """The setting columns of a ``claims_by_setting`` table."""
    return [c for c in table.columns
            if c not in statement_columns(table) and c not in ("holding", "ratio_50", "details")]


def plot_claims_map(table: pd.DataFrame) -> plt.Figure:
    """Settings (rows) x statements (columns): green holds, red does not; the last column
    prints the snapshot/replication ratio at the lowest bandwidth (the paper: 1.5 to 3)."""
    stmts = statement_columns(table)
    cols = _settings_in(table)
    labels = [", ".join(f"{c.split('.')[-1]}={v}" for c, v in zip(cols, r)) for r in table[cols].itertuples(index=False)]
    grid = table[stmts].astype(float).to_numpy()
    fig, ax = plt.subplots(figsize=(1.1 * len(stmts) + 5.5, 0.28 * len(table) + 1.8))
    ax.imshow(grid, cmap=matplotlib.colors.ListedColormap(["#d9534f", "#5cb85c"]), vmin=0, vmax=1,
              aspect="auto")
    ax.set_xticks(range(len(stmts)), stmts, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for i, (n, r) in enumerate(zip(table["holding"], table["ratio_50"])):
        ax.text(len(stmts) - 0.4, i, f"{n}/{len(stmts)}  ratio {r:.1f}", va="center", fontsize=7)
    ax.set_xticks(np.arange(-0.5, len(stmts)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    ax.set_xlim(-0.5, len(stmts) + 1.6)
    ax.set_title("Paper Figs. 8-10 statements per setting (green: holds)", fontsize=10)
    fig.tight_layout()
    return fig


def mark(holds) -> str:
    """yes / **no** / n/a (undecidable: the run's end cut the actions it needs off)."""
    if holds is None or (isinstance(holds, float) and math.isnan(holds)):
        return "n/a"
    return "yes" if holds else "**no**"


def sensitivity_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: one row per setting, yes/**no**/n/a per statement."""
    stmts = statement_columns(table)
    cols = _settings_in(table)
    head = [c.split(".")[-1] for c in cols] + stmts + ["holding", "snapshot/replication at 50 Mbit/s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.itertuples(index=False):
        row = dict(zip(table.columns, r))
        cells = [str(row[c]) for c in cols]
        cells += [mark(row[s]) for s in stmts]
        cells += [f"{row['holding']}/{len(stmts)}", f"{row['ratio_50']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_sensitivity(root=None) -> tuple:
    """Computes the table and writes ``<Results>/studies/fig8-10-sensitivity.md`` and ``.png``;
    returns (png path, table)."""
    table = claims_by_setting(root)
    stmts = statement_columns(table)
    md = dp.figure_path("fig8-10-sensitivity.md", root, dp.STUDY_SET)
    md.parent.mkdir(parents=True, exist_ok=True)
    best = table["holding"].max()
    md.write_text(
        "# Paper Figs. 8-10: which statements hold, per unstated setting\n\n"
        "Generated by Notebooks/fig8_10_sensitivity.ipynb from "
        "Results/studies/fig8-10-sensitivity/ (Scenarios/studies/fig8-10-sensitivity.yaml); "
        "each cell is Notebooks/claims.py's test of the statement on that setting's runs.\n\n"
        f"Settings: {len(table)}; most statements holding at once: {best} of {len(stmts)} "
        f"({int((table['holding'] == best).sum())} setting(s)); the snapshot/replication ratio "
        f"at the lowest bandwidth ranges {table['ratio_50'].min():.2f}-{table['ratio_50'].max():.2f} "
        "(paper: 1.5 to 3).\n\n" + sensitivity_markdown(table))
    png = dp.figure_path("fig8-10-sensitivity.png", root, dp.STUDY_SET)
    fig = plot_claims_map(table)
    fig.savefig(png, dpi=110)
    plt.close(fig)
    return png, table
