"""Regenerates the notebooks of Notebooks/ (thin: markdown, setup, one call of drlsim.paper, display).

    .venv-notebooks/bin/python Notebooks/tests/make_notebooks.py

Edit the texts here rather than in the .ipynb files, so every notebook keeps the same setup
cell; the output is deterministic (fixed cell ids, no outputs).
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

OUT = Path(__file__).resolve().parent.parent

SETUP = '''# Setup: the paper figures of the drlsim package (python/, Scripts/setup-python installs it);
# results from $DRLSIM_RESULTS or <repo>/Results.
import pandas as pd
from IPython.display import Image, display
import drlsim.paper.plots as dp
pd.set_option("display.width", 160)
root = dp.results_root()
print("results:", root)'''

NBS = {
 "fig7_protection_vs_volume_size": ("Figure 7: protection time per action vs volume size",
  "Paper Section 7.1, Fig. 7. Reads `Results/paper/fig7-protection-vs-volume-size/` "
  "(`runs.csv` with the swept column `workload.vms[0].volume.size`, `protection.csv`). "
  "Bars: mean protection time per action (vm-snapshot, image-copy, volume-snapshot, "
  "volume-replication) at each volume size, log scale; error bars: min-max of the per-run "
  "means over replications. Writes `Results/paper/fig7.png`.",
  "png, table = dp.figure7(root)\ntable", ["png"]),
 "fig8_protection_vs_bandwidth": ("Figure 8: protection time vs bandwidth",
  "Paper Section 7.2, Fig. 8. Reads `Results/paper/fig8-protection-vs-bandwidth/` "
  "(`runs.csv` with `wan.rate` and `protection.policy`, `protection.csv`). Per policy, per "
  "bandwidth: VM protection time (the VM action) and total protection time (first start to "
  "last end of one protection execution), log scale. Writes `Results/paper/fig8.png`.",
  "png, table = dp.figure8(root)\ntable", ["png"]),
 "fig9_cumulative_traffic": ("Figure 9: cumulative outgoing traffic",
  "Paper Section 7.2, Fig. 9. Reads `Results/paper/fig9-traffic/` (`runs.csv` with "
  "`wan.rate` and `protection.policy`, `traffic.csv`). `cum_bytes` summed over the traffic "
  "classes that go from the primary to the backup site (all but `application`), mean over "
  "replications with a min-max band. Writes `Results/paper/fig9.png`.",
  "png, totals = dp.figure9(root)\ntotals  # traffic sent over the whole run, per policy and bandwidth", ["png"]),
 "fig10_traffic_10s": ("Figure 10: outgoing traffic, 10-second averages",
  "Paper Section 7.2, Fig. 10. Reads `Results/paper/fig9-traffic/` (`runs.csv`, "
  "`traffic.csv`, `protection.csv`). One panel per bandwidth, (a) 500, (b) 100, (c) 50 Mbit/s; "
  "the lowest bandwidth's panel marks the start (solid) and end (dashed) of every protection "
  "action, blue replication and red snapshot, overlapping actions on separate lanes. One "
  "replication (the first) is drawn, as averaging would smear the peaks. Writes "
  "`Results/paper/fig10.png`.",
  "png, spans = dp.figure10(root)\nspans  # start and end of each protection execution drawn", ["png"]),
 "fig11_recovery_breakdown": ("Figure 11: recovery time breakdown",
  "Paper Section 7.3, Fig. 11. Reads `Results/paper/fig11-recovery/` (`runs.csv` with "
  "`protection.policy` and `workload.vms[0].volume.size`, `recovery.csv`). Stacked: detection "
  "(detected - disaster), until recovery starts (recovery_started - detected), recovery "
  "(recovered - recovery_started), VM responsive (responsive - recovered); they add up to "
  "`rto_s`. Error bars: min-max RTO over replications; dots: each replication. Writes "
  "`Results/paper/fig11.png`.",
  "png, summary = dp.figure11(root)\nsummary", ["png"]),
 "rpo_rto_curves": ("Monte Carlo RPO and RTO curves",
  "Reads `Results/paper/montecarlo-rpo-rto/` (`runs.csv` with `protection.policy`, `wan.rate`, "
  "`protection.interval`, `workload.vms[0].volume.size`; `rpo.csv`; `recovery.csv`), a "
  "scenario with `disaster: {at: uniform}` and many replications. A disaster's RPO is the "
  "largest `rpo_s` of its volume resources. Curves: RPO CDF per policy and bandwidth; RTO vs "
  "volume size; RPO vs protection interval and bandwidth; the bandwidth needed for a target "
  "RPO (p95) and the RPO a bandwidth buys, for the scenario's write workload. Keys not on a "
  "curve's axes are held at the value closest to 5 min, 5 GB, 100 Mbit/s. Writes four PNGs "
  "under `Results/paper/`.",
  "pngs, tables = dp.montecarlo(root)\nfor name, table in tables.items():\n    print(name)\n    display(table)", ["pngs"]),
 "rpo_and_vault_over_time": ("Data at risk and vault footprint over the Fig. 9 runs",
  "Beyond the paper, from the runs of Figs. 9-10. Reads `Results/paper/fig9-traffic/` "
  "(`runs.csv`, `protection.csv`, `replication.csv`, `storage.csv`). Left: the RPO a disaster "
  "at time t would cause (replication: the DRBD lag, the age of the oldest write the backup "
  "lacks; snapshot: t minus the clone instant of the newest volume snapshot finished by t, "
  "or t if none has), log scale. Right: what the backup site's Swift vault holds (the DRBD "
  "replica is on the backup's disks, not in the vault). One replication drawn; the table "
  "averages replications. Logic: `Notebooks/exposure.py`. Writes "
  "`Results/paper/rpo_over_time.png` and `Results/paper/vault_over_time.png`.",
  "from drlsim.paper import exposure\npngs, table = exposure.figure(root)\ntable", ["pngs"]),
}

def write(name: str, cells: list, id_prefix: str) -> None:
    """Writes ``OUT/<name>.ipynb`` with ``cells`` and deterministic cell ids."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = cells
    for i, c in enumerate(nb.cells):
        c["id"] = f"{id_prefix}-{i}"
    nbformat.validate(nb)
    nbformat.write(nb, OUT / f"{name}.ipynb")


for name, (title, text, code, shows) in NBS.items():
    show = ("display(Image(filename=str(png)))" if shows == ["png"]
            else "for png in pngs:\n    display(Image(filename=str(png)))")
    write(name, [new_markdown_cell(f"# {title}\n\n{text}"), new_code_cell(SETUP),
                 new_code_cell(code), new_code_cell(show)], name[:20])

write("paper_claims", [new_markdown_cell(
    "# The paper's statements next to our numbers\n\n"
    "Each quantitative or qualitative statement the paper makes about Figs. 7-11 (with the "
    "tolerance issue 7 gives it), our number from the `Results/paper/` CSV, and whether it "
    "holds. A figure whose result set is absent shows one row marked n/a. Writes "
    "`Results/paper/claims.md` (the README's table). Logic: `Notebooks/claims.py`."),
    new_code_cell(SETUP + "\nfrom drlsim.paper import claims\npd.set_option(\"display.max_colwidth\", 120)"),
    new_code_cell("path, table = claims.write_claims(root)\nprint(path)\ntable")], "paper_claims")

write("fig8_10_sensitivity", [new_markdown_cell(
    "# Figs. 8-10 across the settings the paper does not state\n\n"
    "Reads `Results/studies/fig8-10-sensitivity/` (`Scenarios/studies/fig8-10-sensitivity.yaml`: "
    "the Fig. 8-10 runs swept over the volume size, the transcoder's `output_ratio` and `loop`). "
    "For each setting, each Fig. 8-10 statement is tested with the code of "
    "`Results/paper/claims.md` (`Notebooks/claims.py`) on that setting's runs. Writes "
    "`Results/studies/fig8-10-sensitivity.png` (green: holds) and `.md`. Logic: "
    "`Notebooks/sensitivity.py`."),
    new_code_cell(SETUP + "\nfrom drlsim.paper import sensitivity\npd.set_option(\"display.max_colwidth\", 60)"),
    new_code_cell("png, table = sensitivity.write_sensitivity(root)\n"
                  "table.drop(columns=[\"details\"])"),
    new_code_cell("display(Image(filename=str(png)))")], "fig8_10_sensitivity")
