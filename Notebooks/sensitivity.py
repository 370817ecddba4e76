"""Moved into the drlsim package: :mod:`drlsim.paper.sensitivity` (python/drlsim/paper/sensitivity.py).

``import sensitivity`` from this folder gives that very module (same object: attributes set on one
are seen by the other), so the notebooks and scripts written against ``sensitivity`` keep working.
"""

import sys

import drlsim.paper.sensitivity as _module

sys.modules[__name__] = _module
