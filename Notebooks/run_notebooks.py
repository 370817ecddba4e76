"""Executes the figure notebooks headless (nbclient) and checks each wrote its PNGs.

    python Notebooks/run_notebooks.py [--allow-missing] [--results DIR] [--inplace]
                                      [--timeout S] [NOTEBOOK ...]

Run it with the interpreter of ``.venv-notebooks`` (``Scripts/figures`` does). Exit status: 0
when every notebook selected ran and wrote its figures; 1 when one failed or, without
``--allow-missing``, when a notebook's CSV input is absent; 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import drlplots as dp  # noqa: E402


def execute(notebook: Path, timeout: int, inplace: bool) -> None:
    """Runs every cell of ``notebook`` in a fresh kernel, with the notebook's folder as cwd."""
    import nbformat
    from nbclient import NotebookClient

    from jupyter_client import KernelManager

    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory(prefix="drlsim-kernel-") as sockets:
        # IPC sockets in a private folder: no TCP port is opened for the kernel.
        km = KernelManager(kernel_name="python3", transport="ipc",
                           ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(notebook.parent)}})
        try:
            client.execute()
        finally:  # a kernel manager passed in is ours to stop
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    if inplace:
        nbformat.write(nb, notebook)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebook names (default: all), e.g. "
                        "fig7_protection_vs_volume_size")
    parser.add_argument("--allow-missing", action="store_true",
                        help="skip, with a message, a figure whose CSV input is absent")
    parser.add_argument("--results", help="the Results folder (default: $DRLSIM_RESULTS, else "
                        "<repo>/Results)")
    parser.add_argument("--inplace", action="store_true",
                        help="save the executed notebooks (outputs included) over the sources")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)

    specs = {s.notebook: s for s in dp.FIGURES}
    wanted = [n.removesuffix(".ipynb").split("/")[-1] for n in args.notebooks] or list(specs)
    unknown = [n for n in wanted if n not in specs]
    if unknown:
        print(f"figures: unknown notebook(s): {', '.join(unknown)} "
              f"(known: {', '.join(specs)})", file=sys.stderr)
        return 2

    root = dp.results_root(args.results)
    os.environ["DRLSIM_RESULTS"] = str(root.resolve())  # the kernels inherit it
    failed, skipped, done = [], [], []
    for name in wanted:
        spec = specs[name]
        missing = dp.missing_inputs(spec, root)
        if missing:
            listing = ", ".join(str(p) for p in missing)
            if args.allow_missing:
                print(f"figures: skip {name}: missing {listing}", file=sys.stderr)
                skipped.append(name)
            else:
                print(f"figures: FAIL {name}: missing {listing} (run `drlsim run "
                      f"Scenarios/{spec.result_set}/{spec.scenario}.yaml --out "
                      f"{dp.scenario_dir(spec.scenario, root, spec.result_set)}`, or pass --allow-missing)",
                      file=sys.stderr)
                failed.append(name)
            continue
        outputs = [dp.figure_path(o, root, spec.result_set) for o in spec.outputs]
        for o in outputs:
            o.unlink(missing_ok=True)
        started = time.monotonic()
        try:
            execute(HERE / f"{name}.ipynb", args.timeout, args.inplace)
        except Exception as error:  # noqa: BLE001 - report any failure of the notebook
            print(f"figures: FAIL {name}: {type(error).__name__}: {error}", file=sys.stderr)
            failed.append(name)
            continue
        absent = [str(o) for o in outputs if not o.is_file() or o.stat().st_size == 0]
        if absent:
            print(f"figures: FAIL {name}: did not write {', '.join(absent)}", file=sys.stderr)
            failed.append(name)
            continue
        print(f"figures: ok {name} ({time.monotonic() - started:.1f} s): "
              f"{', '.join(str(o) for o in outputs)}", file=sys.stderr)
        done.append(name)
    print(f"figures: {len(done)} ran, {len(skipped)} skipped, {len(failed)} failed",
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
