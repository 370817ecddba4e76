"""Moved into the drlsim package: :mod:`drlsim.paper.exposure` (python/drlsim/paper/exposure.py).

``import exposure`` from this folder gives that very module (same object: attributes set on one
are seen by the other), so the notebooks and scripts written against ``exposure`` keep working.
"""

import sys

import drlsim.paper.exposure as _module

sys.modules[__name__] = _module
