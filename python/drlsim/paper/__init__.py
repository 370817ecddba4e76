"""The paper reproduction's figures and claims, drawn from result sets (what the notebooks in
``Notebooks/`` call; each notebook is a few calls of these modules).

- :mod:`drlsim.paper.plots`: Figs. 7-11 and the Monte Carlo RPO/RTO curves (was
  ``Notebooks/drlplots.py``; ``import drlplots`` from ``Notebooks/`` still gives this module).
- :mod:`drlsim.paper.claims`: the paper's statements checked on our results (``claims.md``).
- :mod:`drlsim.paper.exposure`: RPO and vault over time.
- :mod:`drlsim.paper.sensitivity`: which Figs. 8-10 statements hold per unstated setting.

They read through :func:`drlsim.read_table` / :func:`drlsim.read_points` and use
:mod:`drlsim.stats`, the same code as ``drlsim report``. Results are found at ``root`` when given,
else ``$DRLSIM_RESULTS``, else the ``Results`` folder of the repository holding the current
folder (or this file).
"""
