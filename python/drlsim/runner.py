"""Running the ``drlsim`` binary from Python."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .results import ResultSet, load


class DRLSimError(RuntimeError):
    """``drlsim`` exited with an error (the message is its one-line error)."""


def repository_root(start: str | os.PathLike | None = None) -> Path | None:
    """The DRLSim checkout holding ``start`` (default: this file), found by walking up to
    ``Package.swift``; None outside a checkout (an installed package)."""
    here = Path(start or __file__).resolve()
    for folder in [here, *here.parents]:
        if (folder / "Package.swift").is_file() and (folder / "Sources" / "drlsim").is_dir():
            return folder
    return None


def find_binary() -> str:
    """The ``drlsim`` executable: ``$DRLSIM`` when set; else ``drlsim`` on ``PATH``; else the
    repository's ``.build/release/drlsim``, then ``.build/debug/drlsim`` (the checkout holding
    this package or the current folder). Raises FileNotFoundError naming all three."""
    env = os.environ.get("DRLSIM")
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            raise FileNotFoundError(f"DRLSIM={env}: not an executable file")
        return env
    found = shutil.which("drlsim")
    if found:
        return found
    for root in (repository_root(), repository_root(Path.cwd())):
        if root is None:
            continue
        for config in ("release", "debug"):
            candidate = root / ".build" / config / "drlsim"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    raise FileNotFoundError("drlsim binary not found: set DRLSIM=/path/to/drlsim, put drlsim on "
                            "PATH, or build it (swift build) in the repository")


def _option(name: str, value) -> list[str]:
    flag = "--" + name.replace("_", "-")
    if value is True:
        return [flag]
    if value is False or value is None:
        return []
    return [flag, str(value)]


def run(scenario: str | os.PathLike | dict, out: str | os.PathLike | None = None,
        set: dict | None = None, *, binary: str | None = None, quiet: bool = True,
        **options) -> ResultSet:
    """Runs ``scenario`` with ``drlsim run`` and returns :func:`load` of its result set.

    Args:
        scenario: a scenario file, or a dict (written as JSON, which is valid YAML, to a
            temporary ``<name>.yaml``; paths inside it, e.g. a trace file, are then relative to
            that temporary folder, so give them absolute).
        out: the result-set folder (``--out``; drlsim's data-safety rules apply: it must be new,
            empty, or a previous result set). Default: a new temporary folder
            (``ResultSet.path`` says where; it is not deleted).
        set: ``{"wan.rate": "50mbit", ...}``: ``--set key=value`` overrides (values as in YAML;
            numbers and booleans are written with ``str``, lists and mappings as JSON).
        binary: the ``drlsim`` executable (default :func:`find_binary`).
        quiet: pass ``--quiet`` (no progress, no summary line).
        **options: further ``drlsim run`` options, ``seed=3`` -> ``--seed 3``,
            ``max_runs=10`` -> ``--max-runs 10``; ``True`` gives a bare flag.

    Raises:
        DRLSimError: drlsim failed (its message, exit status in ``.args[1]``).
    """
    exe = binary or find_binary()
    tmp: Path | None = None
    if isinstance(scenario, dict):
        tmp = Path(tempfile.mkdtemp(prefix="drlsim-scenario-"))
        name = str(scenario.get("name", "scenario"))
        path = tmp / f"{name if name.replace('-', '').replace('_', '').replace('.', '').isalnum() else 'scenario'}.yaml"
        path.write_text(json.dumps(scenario, indent=2) + "\n", encoding="utf-8")
        scenario_path = str(path)
    else:
        scenario_path = os.fspath(scenario)
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="drlsim-results-")) / "results"
    args = [exe, "run", scenario_path, "--out", os.fspath(out)]
    for key, value in (set or {}).items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (list, dict)):
            text = json.dumps(value)
        else:
            text = str(value)
        args += ["--set", f"{key}={text}"]
    if quiet:
        args.append("--quiet")
    for key, value in options.items():
        args += _option(key, value)
    try:
        proc = subprocess.run(args, capture_output=True, text=True)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode != 0:
        message = (proc.stderr.strip().splitlines() or [f"drlsim exited with {proc.returncode}"])[-1]
        raise DRLSimError(message, proc.returncode)
    return load(out)
