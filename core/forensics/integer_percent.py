"""Integer-percentage anomaly (Kobak, Shpilkin & Pshenichnikov, AoAS 2016).

Defaults follow the authors' published code (github.com/dkobak/elections,
``anomaly()`` in significance2018/elections2018.ipynb, "inclusion criteria that
we used in the AOAS paper"):

* stations with cast > 0, registered >= 100, turnout <= 99% and leader share
  <= 99% (turnout = issued/registered, share = leader/cast);
* a value is "integer" when it lies within 0.05 percentage points of a whole
  percent (i.e. it falls in the 0.1-pp bin centred on an integer);
* null model: every station's issued count ~ Binomial(registered, observed
  turnout) and leader count ~ Binomial(cast, observed share), independently.

Monte-Carlo: for each station the probability ``q`` that a binomial draw lands
on an integer percent is computed exactly (sum of binomial pmf over the integer
set), and each replicate draws one Bernoulli(q) per station and statistic. This
is the same distribution as simulating the binomial counts and testing them
(``method="binomial"`` does that literally, more slowly), and it also gives the
exact null mean and variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .chi2 import normal_sf
from .result import CAVEAT, ResultMixin, drop_nan, safe_div

_EPS = 1e-9  # slack in percentage points so exact boundaries (e.g. 12.05%) count

_LOG_FACT_SMALL = np.array([math.lgamma(i + 1.0) for i in range(32)])


def _log_factorial(x: np.ndarray) -> np.ndarray:
    """log(x!) for non-negative integer-valued float arrays (Stirling for x >= 32)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    small = x < 32
    out[small] = _LOG_FACT_SMALL[x[small].astype(np.int64)]
    y = x[~small]
    if y.size:
        inv = 1.0 / y
        inv2 = inv * inv
        out[~small] = (
            y * np.log(y)
            - y
            + 0.5 * np.log(2.0 * np.pi * y)
            + inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0))
        )
    return out


def is_integer_percent(k: np.ndarray, n: np.ndarray, tolerance: float = 0.05) -> np.ndarray:
    """True where 100*k/n lies within ``tolerance`` pp of a whole percent (n > 0)."""
    pct = 100.0 * safe_div(k, n)
    with np.errstate(invalid="ignore"):
        return np.abs(pct - np.round(pct)) <= tolerance + _EPS


def integer_hit_probability(n: np.ndarray, p: np.ndarray, tolerance: float = 0.05) -> np.ndarray:
    """P(100*K/n is within ``tolerance`` pp of an integer) for K ~ Binomial(n, p).

    Exact up to the pmf mass beyond 9 standard deviations (< 1e-18).
    """
    n = np.asarray(n, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    if np.any(n < 1) or np.any(n != np.round(n)):
        raise ValueError("n must be positive integers")
    q = np.zeros(n.size)
    degenerate = (p <= 0.0) | (p >= 1.0)
    if degenerate.any():
        q[degenerate] = is_integer_percent(
            n[degenerate] * p[degenerate], n[degenerate], tolerance
        ).astype(np.float64)
    live = np.flatnonzero(~degenerate)
    if live.size == 0:
        return q
    nl, pl = n[live], p[live]
    mu = nl * pl
    sd = np.sqrt(mu * (1.0 - pl))
    klo = np.maximum(0.0, np.floor(mu - 9.0 * sd - 1.0))
    khi = np.minimum(nl, np.ceil(mu + 9.0 * sd + 1.0))
    m_lo = np.maximum(0.0, np.floor(100.0 * klo / nl - tolerance))
    m_hi = np.minimum(100.0, np.ceil(100.0 * khi / nl + tolerance))
    span = (m_hi - m_lo).astype(np.int64)
    log_p = np.log(pl)
    log_1mp = np.log1p(-pl)
    lf_n = _log_factorial(nl)
    acc = np.zeros(live.size)
    for off in range(int(span.max()) + 1):
        idx = np.flatnonzero(span >= off)
        nn = nl[idx]
        m = m_lo[idx] + off
        lo = np.maximum(0.0, np.ceil((m - tolerance - _EPS) * nn / 100.0))
        hi = np.minimum(nn, np.floor((m + tolerance + _EPS) * nn / 100.0))
        cnt = (hi - lo + 1.0).astype(np.int64)
        if cnt.size == 0 or cnt.max() <= 0:
            continue
        for j in range(int(cnt.max())):
            sub = cnt > j
            ii = idx[sub]
            k = lo[sub] + j
            nk = nn[sub]
            logpmf = (
                lf_n[ii]
                - _log_factorial(k)
                - _log_factorial(nk - k)
                + k * log_p[ii]
                + (nk - k) * log_1mp[ii]
            )
            acc[ii] += np.exp(logpmf)
    q[live] = np.clip(acc, 0.0, 1.0)
    return q


@dataclass(frozen=True)
class IntegerComponent(ResultMixin):
    """Observed vs expected number of stations on an integer percent."""

    observed: int
    expected_mean: float
    expected_sd: float
    exact_mean: float
    exact_sd: float
    excess: float
    z: float
    p_value_mc: float
    p_value_normal: float
    excess_999_threshold: float


@dataclass(frozen=True)
class IntegerPercentResult(ResultMixin):
    turnout: IntegerComponent
    leader: IntegerComponent
    either: IntegerComponent
    n_stations: int
    n_dropped_nan: int
    n_excluded: int
    tolerance_pp: float
    min_registered: int
    max_fraction: float
    n_replicates: int
    seed: int
    method: str
    measures: str
    caveat: str


def _component(observed: int, sims: np.ndarray, q: np.ndarray) -> IntegerComponent:
    mean = float(sims.mean()) if sims.size else float("nan")
    sd = float(sims.std()) if sims.size else float("nan")
    excess = observed - mean
    z = excess / sd if sd > 0 else float("nan")
    p_mc = (1.0 + float((sims >= observed).sum())) / (sims.size + 1.0)
    exact_mean = float(q.sum())
    exact_sd = float(np.sqrt((q * (1.0 - q)).sum()))
    z_exact = (observed - exact_mean) / exact_sd if exact_sd > 0 else float("nan")
    thr = float(np.percentile(sims, 99.9) - mean) if sims.size else float("nan")
    return IntegerComponent(
        observed=int(observed),
        expected_mean=mean,
        expected_sd=sd,
        exact_mean=exact_mean,
        exact_sd=exact_sd,
        excess=float(excess),
        z=float(z),
        p_value_mc=p_mc,
        p_value_normal=normal_sf(z_exact) if math.isfinite(z_exact) else float("nan"),
        excess_999_threshold=thr,
    )


def integer_percentages(
    registered: np.ndarray,
    issued: np.ndarray,
    valid: np.ndarray,
    invalid: np.ndarray,
    leader: np.ndarray,
    *,
    tolerance: float = 0.05,
    min_registered: int = 100,
    max_fraction: float = 0.99,
    n_replicates: int = 1000,
    seed: int = 42,
    method: Literal["exact", "binomial"] = "exact",
    block: int = 64,
) -> IntegerPercentResult:
    """Count stations whose turnout / leader share is an integer percent, vs. a binomial null.

    ``tolerance`` is in percentage points (0.05 = the paper's 0.1-pp bin).
    Returns observed counts, Monte-Carlo mean/SD of the null counts, excess,
    z-score and a one-sided Monte-Carlo p-value ``(1 + #{sim >= obs}) / (R + 1)``.
    """
    if method not in ("exact", "binomial"):
        raise ValueError("method must be 'exact' or 'binomial'")
    if n_replicates < 1:
        raise ValueError("n_replicates must be >= 1")
    (reg, iss, val, inv, lead), dropped = drop_nan(registered, issued, valid, invalid, leader)
    cast = val + inv
    t = safe_div(iss, reg)
    s = safe_div(lead, cast)
    with np.errstate(invalid="ignore"):
        keep = (
            (cast > 0)
            & (reg >= min_registered)
            & (reg > 0)
            & (t <= max_fraction)
            & (s <= max_fraction)
            & (iss >= 0)
            & (lead >= 0)
        )
    reg, iss, cast, lead = reg[keep], iss[keep], cast[keep], lead[keep]
    reg, cast = np.round(reg), np.round(cast)
    t, s = t[keep], s[keep]

    hit_t = is_integer_percent(iss, reg, tolerance)
    hit_s = is_integer_percent(lead, cast, tolerance)
    obs_t, obs_s = int(hit_t.sum()), int(hit_s.sum())
    obs_e = int((hit_t | hit_s).sum())

    if reg.size:
        q_t = integer_hit_probability(reg, t, tolerance)
        q_s = integer_hit_probability(cast, s, tolerance)
    else:
        q_t = q_s = np.zeros(0)
    q_e = 1.0 - (1.0 - q_t) * (1.0 - q_s)

    rng = np.random.default_rng(seed)
    sims = np.zeros((3, n_replicates), dtype=np.int64)
    if reg.size:
        reg_i, cast_i = reg.astype(np.int64), cast.astype(np.int64)
        qt32, qs32 = q_t.astype(np.float32), q_s.astype(np.float32)
        for start in range(0, n_replicates, block):
            b = min(block, n_replicates - start)
            if method == "exact":
                ht = rng.random((b, reg.size), dtype=np.float32) < qt32
                hs = rng.random((b, reg.size), dtype=np.float32) < qs32
            else:
                kt = rng.binomial(reg_i, t, size=(b, reg.size))
                ks = rng.binomial(cast_i, s, size=(b, reg.size))
                ht = is_integer_percent(kt, reg, tolerance)
                hs = is_integer_percent(ks, cast, tolerance)
            sims[0, start : start + b] = ht.sum(axis=1)
            sims[1, start : start + b] = hs.sum(axis=1)
            sims[2, start : start + b] = (ht | hs).sum(axis=1)

    return IntegerPercentResult(
        turnout=_component(obs_t, sims[0], q_t),
        leader=_component(obs_s, sims[1], q_s),
        either=_component(obs_e, sims[2], q_e),
        n_stations=int(reg.size),
        n_dropped_nan=dropped,
        n_excluded=int((~keep).sum()),
        tolerance_pp=float(tolerance),
        min_registered=int(min_registered),
        max_fraction=float(max_fraction),
        n_replicates=int(n_replicates),
        seed=int(seed),
        method=method,
        measures=(
            "Number of polling stations whose reported turnout and/or leader share "
            f"lies within {tolerance} pp of a whole percent, against the number "
            "expected if each station's counts were binomial draws around its own "
            "observed rates (Kobak, Shpilkin & Pshenichnikov 2016). An excess "
            "suggests results were written to hit round targets."
        ),
        caveat=CAVEAT + " Small stations hit integers more often by arithmetic alone, which the "
        "null accounts for only under the binomial assumption; the test says "
        "nothing about where or how much the results were changed.",
    )
