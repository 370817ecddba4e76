"""Reading a DRLSim result set (a folder written by ``drlsim run`` or ``drlsim merge``) into pandas.

The folder's contract (README "Where results go", Docs/safety.md): ``manifest.txt`` whose first
line is ``format: drlsim-results 2`` (``1`` from earlier versions), and one CSV per table whose
first three columns are ``run, point, replication``. Summary tables (``*_summary.csv``,
``dr_summary.csv``) and ``points.csv`` hold ``all`` in ``run`` and ``replication``.

``points.csv`` (format 2, swept result sets) gives, per sweep point and swept key, the value as
written (``500mbit``), as a number in its base unit (``5e8``) and the unit (``s``, ``bit/s``,
``B`` or ``""`` for a plain number; empty for text and mappings). :func:`load` joins these to
every table as one column per swept key, so no reader needs unit tables.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

#: First line of a result set's manifest, per format this package reads.
MANIFEST_FORMATS = ("format: drlsim-results 2", "format: drlsim-results 1")

#: ``run`` and ``replication`` value of rows that describe a whole point (summaries, points.csv).
ALL = -1

#: The columns every table starts with.
KEY_COLUMNS = ("run", "point", "replication")

#: Fixed columns of ``runs.csv``; the columns after them are the swept keys (as written).
RUNS_FIXED = ("run", "point", "replication", "scenario", "seed", "duration_s", "events")


class ResultSetError(ValueError):
    """A folder that is not a readable DRLSim result set (one line: the path and the reason)."""


class ResultSet(dict):
    """Table name (``"rpo"`` for ``rpo.csv``) -> :class:`pandas.DataFrame`, plus the set's metadata.

    Attributes:
        path: the result-set folder.
        manifest: ``manifest.txt`` as a mapping (first value of each ``key: value`` line; the
            ``csv:`` lines are in ``manifest["csv"]``, a list).
        swept: the swept key paths, in ``points.csv`` order (empty for an unswept set).
        units: swept key -> base unit (``"s"``, ``"bit/s"``, ``"B"``, ``""``), or None for a
            key whose values are text (they are kept as strings).
        points: one row per sweep point: ``point`` and one typed column per swept key.
    """

    path: Path
    manifest: dict
    swept: list[str]
    units: dict[str, str | None]
    points: pd.DataFrame

    def point_label(self, point: int) -> str:
        """``wan.rate=500mbit, protection.interval=5min`` (as written), or ``point 3`` unswept."""
        if not self.swept:
            return f"point {int(point)}"
        written = self._written.get(int(point), {})
        return ", ".join(f"{k}={written.get(k, '?')}" for k in self.swept)

    _written: dict[int, dict[str, str]]


def read_manifest(folder: str | os.PathLike) -> dict:
    """Parses ``folder/manifest.txt``; raises :class:`ResultSetError` unless its first line is
    one of :data:`MANIFEST_FORMATS`."""
    folder = Path(folder)
    path = folder / "manifest.txt"
    if not folder.is_dir():
        raise ResultSetError(f"{folder}: not a folder")
    if not path.is_file():
        raise ResultSetError(f"{folder}: not a drlsim result set (no manifest.txt)")
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    if not lines or lines[0].strip() not in MANIFEST_FORMATS:
        first = lines[0][:80] if lines else ""
        raise ResultSetError(f"{path}:1: not a drlsim result set (first line {first!r}, "
                             f"expected {MANIFEST_FORMATS[0]!r})")
    manifest: dict = {"format": int(lines[0].strip().rsplit(" ", 1)[1]), "csv": []}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "csv":
            manifest["csv"].append(value.split(" ", 1)[0])
        elif key not in manifest:
            manifest[key] = value
    for key in ("points", "replications", "runs", "seed"):
        if key in manifest:
            try:
                manifest[key] = int(manifest[key])
            except ValueError:
                pass
    return manifest


def _typed_column(col: pd.Series) -> pd.Series:
    """Cells (strings) as int64 (all integers written without a point or exponent), float64
    (all numbers; empty, ``nan``, ``inf`` included) or strings."""
    if len(col) == 0:
        return col.astype(object)
    col = col.astype(object)
    blank = col == ""
    missing = blank | col.isin(["nan", "NaN", "-nan"])
    try:
        numbers = pd.to_numeric(col.where(~missing, np.nan), errors="raise")
    except (ValueError, TypeError):
        return col.astype(object)
    numbers = numbers.astype(float)
    if not blank.any() and np.all(np.isfinite(numbers)) and \
            not col.astype(str).str.contains(r"[.eE]|inf|nan", case=False, regex=True).any() and \
            np.all(np.abs(numbers) < 2**53):
        return numbers.astype(np.int64)
    return numbers


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """One CSV of a result set: ``run``/``replication`` ``all`` -> :data:`ALL` (-1), every column
    whose cells are all numbers (or empty) as numbers, the others as strings."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    frame = pd.DataFrame(index=raw.index)
    for name in raw.columns:
        col = raw[name]
        if name in ("run", "replication"):
            col = col.where(col != "all", str(ALL))
        frame[name] = _typed_column(col)
    if len(raw) == 0:
        frame = pd.DataFrame({name: pd.Series(dtype=np.int64 if name in KEY_COLUMNS else object)
                              for name in raw.columns})
    return frame


def read_points(folder: str | os.PathLike, runs: pd.DataFrame | None = None):
    """The sweep of a result set: ``(swept keys, units, points, written)``.

    ``points`` has one row per sweep point: ``point`` and one typed column per swept key (the
    number in its base unit from ``points.csv`` when every point's value is a number, else the
    value as written); ``units`` maps each key to its base unit (None for text); ``written``
    maps point -> key -> the value as written (``500mbit``). Without ``points.csv`` they come
    from the swept columns of ``runs`` (read with :func:`read_table` when not given): strings
    as written, numeric only when they are plain numbers. The one reader of the sweep that
    :func:`load` and the paper notebooks (Notebooks/drlplots.py) share.
    """
    folder = Path(folder)
    if runs is None and not (folder / "points.csv").is_file() and (folder / "runs.csv").is_file():
        runs = read_table(folder / "runs.csv")
    return _points(folder, {} if runs is None else {"runs": runs})


def _points(folder: Path, tables: dict[str, pd.DataFrame]):
    """(swept keys, units, typed points frame, written values) from points.csv, else from the
    swept columns of runs.csv (strings as written; numeric only when they are plain numbers)."""
    written: dict[int, dict[str, str]] = {}
    path = folder / "points.csv"
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        keys: list[str] = []
        numbers: dict[str, dict[int, float | None]] = {}
        units: dict[str, str | None] = {}
        for r in rows:
            key, point = r["key"], int(r["point"])
            if key not in keys:
                keys.append(key)
                numbers[key] = {}
            written.setdefault(point, {})[key] = r["value"]
            num = r.get("number", "")
            numbers[key][point] = float(num) if num != "" else None
            unit = r.get("unit", "") if num != "" else None
            if key in units and units[key] != unit:
                unit = None
            units[key] = unit if (key not in units or units[key] is not None) else None
        pts = sorted(written)
        frame = pd.DataFrame({"point": pd.Series(pts, dtype=np.int64)})
        for key in keys:
            nums = [numbers[key].get(p) for p in pts]
            if all(n is not None for n in nums) and units.get(key) is not None:
                col = pd.Series(nums, dtype=float)
                if units[key] == "" and np.all(col == np.round(col)):
                    col = col.astype(np.int64)
                frame[key] = col
            else:
                units[key] = None
                frame[key] = pd.Series([written[p].get(key, "") for p in pts], dtype=object)
        return keys, units, frame, written
    runs = tables.get("runs")
    if runs is None or runs.empty:
        return [], {}, pd.DataFrame({"point": pd.Series(dtype=np.int64)}), written
    keys = [c for c in runs.columns if c not in RUNS_FIXED]
    frame = runs.drop_duplicates("point")[["point"] + keys].sort_values("point").reset_index(drop=True)
    for _, r in frame.iterrows():
        written[int(r["point"])] = {k: str(r[k]) for k in keys}
    units = {k: ("" if pd.api.types.is_numeric_dtype(frame[k]) else None) for k in keys}
    return keys, units, frame, written


def load(folder: str | os.PathLike) -> ResultSet:
    """Reads the result set in ``folder``: table name -> DataFrame.

    - The manifest's first line must be ``format: drlsim-results 2`` (or ``1``), else
      :class:`ResultSetError`.
    - Every ``*.csv`` of the folder is a table (``rpo.csv`` -> ``"rpo"``). Columns whose cells
      are all numbers are numeric (``int64`` when all are integers, else ``float64``; an empty
      cell, ``nan`` and ``inf`` are float); others are strings.
    - ``run`` and ``replication`` are ``-1`` (:data:`ALL`) where the file says ``all``
      (summary tables, ``points.csv``).
    - Swept keys: each table with a ``point`` column gets one column per swept key, named by its
      key path (``wan.rate``), inserted after ``replication``: the number in its base unit
      (``bit/s``, ``s``, ``B``; int for plain integers) from ``points.csv`` when every point's
      value is a number, else the value as written (text, mappings). ``runs.csv``'s as-written
      columns are replaced by the typed ones; the written text stays in ``points``.
      Without ``points.csv`` (sets written before format 2 had it) the runs.csv columns are
      joined as they are (strings such as ``500mbit`` unless plain numbers).
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    result = ResultSet()
    result.path = folder
    result.manifest = manifest
    raw: dict[str, pd.DataFrame] = {}
    for path in sorted(folder.glob("*.csv")):
        raw[path.stem] = read_table(path)
    swept, units, points, written = _points(folder, raw)
    result.swept, result.units, result.points, result._written = swept, units, points, written
    for name, frame in raw.items():
        if name != "points" and "point" in frame.columns and swept:
            frame = join_points(frame, points, swept)
        result[name] = frame
    return result


def join_points(frame: pd.DataFrame, points: pd.DataFrame, swept: list[str]) -> pd.DataFrame:
    """``frame`` with one column per swept key after ``replication`` (a same-named column is
    replaced); a row whose point is not in ``points`` gets NaN."""
    base = frame.drop(columns=[k for k in swept if k in frame.columns])
    cols = list(base.columns)
    at = cols.index("replication") + 1 if "replication" in cols else len(cols)
    out = base.iloc[:, :at].copy()
    for k in swept:
        mapping = dict(zip(points["point"].tolist(), points[k].tolist()))
        col = base["point"].map(mapping)
        if len(col) and pd.api.types.is_integer_dtype(points[k]) and col.notna().all():
            col = col.astype(np.int64)
        elif not len(col):
            col = pd.Series(dtype=points[k].dtype)
        out[k] = col.values if len(col) else col
    for c in cols[at:]:
        out[c] = base[c]
    return out.reset_index(drop=True)
