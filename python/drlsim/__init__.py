"""DRLSim from Python: read result sets into pandas, run the simulator, draw reports.

    import drlsim
    tables = drlsim.load("Results/my-study")      # {"rpo": DataFrame, ...}, swept keys typed
    tables = drlsim.run("study.yaml", set={"wan.rate": "50mbit"}, replications=5)

``python -m drlsim.report RESULTS_DIR [--out DIR]`` (what ``drlsim report`` calls) writes a
report of any result set. ``drlsim.paper`` draws the paper reproduction's figures and claims
(the notebooks in Notebooks/ call it). See Docs/python.md.
"""

from .results import (ALL, MANIFEST_FORMATS, ResultSet, ResultSetError, join_points, load,
                      read_manifest, read_points, read_table)
from .runner import DRLSimError, find_binary, run
from .stats import MIN_SAMPLES, Summary, summarize

__version__ = "0.2.0"

__all__ = [
    "ALL", "MANIFEST_FORMATS", "ResultSet", "ResultSetError", "load", "read_manifest", "read_table",
    "read_points", "join_points",
    "DRLSimError", "find_binary", "run", "MIN_SAMPLES", "Summary", "summarize", "__version__",
]
