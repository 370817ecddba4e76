"""drlsim.stats against tabulated and hand-derived answers (Docs/statistics.md)."""

import math

import pytest

from drlsim import stats


@pytest.mark.parametrize("df,t", [(1, 12.7062), (2, 4.3027), (4, 2.7764), (10, 2.2281), (30, 2.0423), (1000, 1.9623)])
def test_t_quantile_matches_tables(df, t):
    # two-sided 95 % critical values (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2)
    assert stats.t_quantile(0.975, df) == pytest.approx(t, abs=1e-4)


def test_confidence_interval_by_hand():
    # [1, 2, 3]: mean 2, s = 1, half width = t(0.975, 2) / sqrt(3) = 4.3027 / 1.7321 = 2.4841
    lo, hi = stats.confidence_interval([1.0, 2.0, 3.0])
    assert lo == pytest.approx(2 - 2.48414, abs=1e-4) and hi == pytest.approx(2 + 2.48414, abs=1e-4)
    assert all(math.isnan(x) for x in stats.confidence_interval([5.0]))


def test_quantiles_interpolate_linearly():
    assert stats.quantile(range(101), 0.95) == 95.0
    assert stats.quantile([1.0, 2.0], 0.95) == pytest.approx(1.95)


def test_all_censored_example_of_issue_13():
    # five executions cut at 1500, 1200, 900, 600, 300 s: nothing finished
    s = stats.summarize([], [1500, 1200, 900, 600, 300])
    assert (s.n, s.censored) == (0, 5)
    assert math.isnan(s.mean) and math.isnan(s.p95)
    assert s.lower_bound_mean == 900.0
    assert s.km_median == math.inf
    assert s.few


def test_kaplan_meier_by_hand():
    # no censoring: lower empirical median
    assert stats.kaplan_meier_median([1, 2, 3], []) == 2
    # finished 1, 3; censored 2: S(1) = 2/3, at 3 one at risk: S = 0 -> median 3
    assert stats.kaplan_meier_median([1, 3], [2]) == 3
    # finished 10, censored 20, 30: S(10) = 2/3 never <= 0.5
    assert stats.kaplan_meier_median([10], [20, 30]) == math.inf
    assert math.isnan(stats.kaplan_meier_median([], []))


def test_censored_never_averaged_as_finished():
    s = stats.summarize([100, 200], [50])
    assert s.mean == 150 and s.n == 2 and s.censored == 1
    assert s.lower_bound_mean == pytest.approx(350 / 3)
