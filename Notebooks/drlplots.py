"""Moved into the drlsim package: :mod:`drlsim.paper.plots` (python/drlsim/paper/plots.py).

``import drlplots`` from this folder gives that very module (same object: attributes set on one
are seen by the other), so the notebooks and scripts written against ``drlplots`` keep working.
"""

import sys

import drlsim.paper.plots as _module

sys.modules[__name__] = _module
