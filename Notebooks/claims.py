"""Moved into the drlsim package: :mod:`drlsim.paper.claims` (python/drlsim/paper/claims.py).

``import claims`` from this folder gives that very module (same object: attributes set on one
are seen by the other), so the notebooks and scripts written against ``claims`` keep working.
"""

import sys

import drlsim.paper.claims as _module

sys.modules[__name__] = _module
