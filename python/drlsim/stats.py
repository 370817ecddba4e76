"""Statistics of durations some of which are right-censored: the definitions of
``Docs/statistics.md`` (DRLSimCore ``DurationSummary``), mirrored in Python.

Plain statistics (``mean``, ``p50``, ``p95``, ``max``, the Student-t 95 % interval of the mean)
are over **finished** samples only; ``censored`` counts the samples cut off by the run's end,
whose values are lower bounds. ``lower_bound_mean`` is the mean over finished values and
censored lower bounds together (the true mean is at least this); ``km_median`` is the
Kaplan-Meier (product-limit) median, ``inf`` when more than half are censored beyond every
finished value. Quantiles interpolate linearly between order statistics (GSL's
``gsl_stats_quantile_from_sorted_data``, numpy's default ``linear`` method).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Iterable

import numpy as np

#: Below this many finished samples (or replications) a statistic is flagged as indicative only.
MIN_SAMPLES = 5


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz; Press et al.,
    Numerical Recipes 3rd ed., section 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Student-t cumulative distribution: 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 for t >= 0."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """Student-t quantile (bisection on :func:`t_cdf`; 1e-10 absolute), e.g. 12.706 for
    p = 0.975, df = 1."""
    if not 0.0 < p < 1.0 or df <= 0:
        return math.nan
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10:
            break
    return (lo + hi) / 2.0


def confidence_interval(values: Iterable[float], level: float = 0.95) -> tuple[float, float]:
    """Student-t interval of the mean: mean -+ t_{(1+level)/2, n-1} s / sqrt(n); NaN below two
    values."""
    v = np.asarray([x for x in values if math.isfinite(x)], dtype=float)
    if len(v) < 2:
        return math.nan, math.nan
    m = float(v.mean())
    half = t_quantile((1.0 + level) / 2.0, len(v) - 1) * float(v.std(ddof=1)) / math.sqrt(len(v))
    return m - half, m + half


def quantile(values: Iterable[float], q: float) -> float:
    """Linear-interpolation quantile of the finite values (NaN for none)."""
    v = np.asarray([x for x in values if math.isfinite(x)], dtype=float)
    return float(np.quantile(v, q)) if len(v) else math.nan


def kaplan_meier_median(finished: Iterable[float], censored: Iterable[float]) -> float:
    """Kaplan-Meier median: S(t) = prod (1 - d_i / n_i) over finished values t_i <= t, n_i the
    samples (finished or censored) >= t_i; the smallest t_i with S <= 0.5; ``inf`` when S never
    falls to 0.5; NaN without samples."""
    events = sorted(x for x in finished if math.isfinite(x))
    cens = sorted(x for x in censored if math.isfinite(x))
    if not events and not cens:
        return math.nan
    s, i = 1.0, 0
    while i < len(events):
        t = events[i]
        d = 1
        while i + d < len(events) and events[i + d] == t:
            d += 1
        at_risk = (len(events) - i) + sum(1 for c in cens if c >= t)
        s *= 1.0 - d / at_risk
        if s <= 0.5 + 1e-12:
            return t
        i += d
    return math.inf


@dataclass(frozen=True)
class Summary:
    """The statistics of one group of samples (Docs/statistics.md)."""

    n: int
    censored: int
    mean: float
    p50: float
    p95: float
    max: float
    ci95_low: float
    ci95_high: float
    lower_bound_mean: float
    km_median: float

    @property
    def few(self) -> bool:
        """Fewer than :data:`MIN_SAMPLES` finished samples: indicative only."""
        return self.n < MIN_SAMPLES

    def as_dict(self) -> dict:
        return asdict(self)


def summarize(finished: Iterable[float], censored: Iterable[float] = ()) -> Summary:
    """The :class:`Summary` of ``finished`` values and ``censored`` lower bounds (non-finite
    values are ignored)."""
    f = [float(x) for x in finished if math.isfinite(float(x))]
    c = [float(x) for x in censored if math.isfinite(float(x))]
    lo, hi = confidence_interval(f)
    return Summary(
        n=len(f), censored=len(c),
        mean=float(np.mean(f)) if f else math.nan,
        p50=quantile(f, 0.5), p95=quantile(f, 0.95),
        max=max(f) if f else math.nan,
        ci95_low=lo, ci95_high=hi,
        lower_bound_mean=float(np.mean(f + c)) if (f or c) else math.nan,
        km_median=kaplan_meier_median(f, c),
    )
