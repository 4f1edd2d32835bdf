"""Klimek et al. (2012) fraud model fitted to the turnout x leader-share fingerprint.

Model (Klimek, Yegorov, Hanel & Thurner, PNAS 109(41), 2012): in a fair
station, turnout a ~ N(a0, sa) and leader share v ~ N(v0, sv), truncated to
(0, 1). With probability ``f_i`` a station has *incremental* fraud: a share x
of its non-voters is cast for the leader and a share x**alpha of the others'
votes is moved to the leader, with x ~ |N(0, theta)| truncated to (0, 1). With
probability ``f_e`` it has *extreme* fraud, the same with x = 1 - |N(0, 0.075)|.

Fit, as stated in ``measures``: a0 and v0 are the modes (1-pp bins, 5-bin
running mean, below 90%) of the station turnout and share distributions; sa
and sv are the root-mean-square distance to the mode of the stations below it
(the side that adding ballots does not reach). alpha = 1. theta is chosen on a
grid with f_i and f_e. For each (theta, f_i, f_e) on the grid one simulated
election (same electorates, fixed random numbers, so the distance is smooth in
f) is binned like the observed one (2-pp bins) and compared by
``sum((obs - sim)**2 / (sim + 1))``; the minimum is the estimate. Uncertainty:
the whole fit repeated on random halves of the stations (half-sampling, new
random numbers each time); the SD of those fits estimates the SD of the full
fit (Var(full) ~ m / (n - m) Var(half), m = n/2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lmfit import FitError, bimodal_jacobian, gauss, levenberg_marquardt
from .result import CAVEAT, ResultMixin, drop_nan

STEP = 0.005  # lattice of f values
FI_GRID = np.round(np.arange(0, 41) * 0.025, 4)  # 0 .. 1 by 0.025
FE_GRID = np.round(np.arange(0, 41) * STEP, 4)  # 0 .. 0.2 by 0.005
THETAS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.8)
EXTREME_SD = 0.075
BIN = 0.02


@dataclass(frozen=True)
class KlimekResult(ResultMixin):
    f_incremental: float
    f_extreme: float
    theta: float
    alpha: float
    sd_incremental: float
    sd_extreme: float
    ci95_incremental: tuple[float, float]
    ci95_extreme: tuple[float, float]
    n_replicates: int
    seed: int
    fair_turnout: float
    fair_turnout_sd: float
    fair_share: float
    fair_share_sd: float
    distance: float
    distance_fair: float  # the same distance with f_i = f_e = 0
    at_grid_edge: bool
    n_stations: int
    n_dropped_nan: int
    n_excluded: int
    measures: str
    caveat: str


def _mode_and_left_sd(x: np.ndarray) -> tuple[float, float]:
    """A Gaussian fitted to the 1-pp histogram up to its mode (the side fraud cannot reach)."""
    counts = np.bincount(np.minimum((x * 100).astype(np.int64), 99), minlength=100)
    sm = np.convolve(counts, np.ones(5) / 5, mode="same")
    m = int(np.argmax(sm[:90]))
    mode = (m + 0.5) / 100
    left = x[x < mode]
    sd = max(float(np.sqrt(np.mean((left - mode) ** 2))) if left.size else 0.05, 0.005)
    centres = (np.arange(m + 1) + 0.5) / 100
    try:
        p = levenberg_marquardt(
            lambda xx, q: gauss(xx, q[0], q[1], q[2]),
            lambda xx, q: bimodal_jacobian(xx, np.r_[q, 0.0, 1.0, 0.0])[:, :3],
            centres,
            counts[: m + 1].astype(np.float64),
            np.array([mode, sd, float(counts[m])]),
        )
    except FitError:
        return mode, sd
    mu, sigma = float(p[0]), abs(float(p[1]))
    if not (0 < mu < 1 and 0.005 < sigma < 0.5 and mu <= mode + 0.02):
        return mode, sd
    return mu, sigma


def _bins(t: np.ndarray, v: np.ndarray, nb: int) -> np.ndarray:
    ti = np.clip((t / BIN).astype(np.int64), 0, nb - 1)
    vi = np.clip((v / BIN).astype(np.int64), 0, nb - 1)
    return ti * nb + vi


def _truncnorm(rng, mean, sd, n, lo=0.0, hi=1.0) -> np.ndarray:
    x = rng.normal(mean, sd, n)
    bad = (x <= lo) | (x >= hi)
    while bad.any():
        x[bad] = rng.normal(mean, sd, int(bad.sum()))
        bad = (x <= lo) | (x >= hi)
    return x


def _abs_trunc(rng, sd, n) -> np.ndarray:
    x = np.abs(rng.normal(0, sd, n))
    bad = (x <= 0) | (x >= 1)
    while bad.any():
        x[bad] = np.abs(rng.normal(0, sd, int(bad.sum())))
        bad = (x <= 0) | (x >= 1)
    return x


def _fraud(a, v, x, alpha) -> tuple[np.ndarray, np.ndarray]:
    t = a + x * (1 - a)
    lead = a * v + x * (1 - a) + x**alpha * a * (1 - v)
    return t, lead / t


def _fit_once(t, v, rng, alpha):
    n = t.size
    nb = int(round(1 / BIN))
    obs = np.bincount(_bins(t, v, nb), minlength=nb * nb).astype(np.float32)
    a0, sa = _mode_and_left_sd(t)
    v0, sv = _mode_and_left_sd(v)
    a = _truncnorm(rng, a0, sa, n)
    s = _truncnorm(rng, v0, sv, n)
    u = rng.random(n)
    seg = np.minimum(np.ceil(u / STEP).astype(np.int64), int(round(1 / STEP)))  # u in lattice
    nseg = int(round(1 / STEP)) + 1

    b_fair = _bins(a, s, nb)
    b_ext = _bins(*_fraud(a, s, 1 - _abs_trunc(rng, EXTREME_SD, n), alpha), nb)
    z = rng.standard_normal(n)
    b_inc = [
        _bins(*_fraud(a, s, np.clip(np.abs(z) * th, 1e-9, 1 - 1e-9), alpha), nb) for th in THETAS
    ]
    # bins empty in the data and in every simulated outcome add nothing to the distance
    used = np.zeros(nb * nb, dtype=bool)
    used[obs > 0] = True
    for b in (b_fair, b_ext, *b_inc):
        used[b] = True
    col = np.cumsum(used) - 1  # bin -> column among the used bins
    nc = int(used.sum())
    obs = obs[used]

    def cum(b: np.ndarray) -> np.ndarray:
        h = np.bincount(seg * nc + col[b], minlength=nseg * nc).reshape(nseg, nc)
        out = np.zeros((nseg + 1, nc), dtype=np.float32)
        out[1:] = np.cumsum(h, axis=0)  # (cumsum straight into float32 is 4x slower)
        return out  # C[k]: the stations with u below lattice point k

    fair = cum(b_fair)
    extreme = cum(b_ext)

    # sim(f_i, f_e) = inc[k1] + extreme[k2] - extreme[k1] + fair[end] - fair[k2], with
    # k1 = f_i / STEP and k2 = (f_i + f_e) / STEP: the stations with u < f_i take the
    # incremental outcome, f_i <= u < f_i + f_e the extreme one, the rest the fair one.
    ext_minus_fair = extreme - fair
    fair_total = fair[-1]

    def distance(inc: np.ndarray, fi_idx: np.ndarray, fe_idx: np.ndarray) -> np.ndarray:
        k1 = np.round(FI_GRID[fi_idx] / STEP).astype(np.int64)
        k2 = k1[:, None] + np.round(FE_GRID[fe_idx] / STEP).astype(np.int64)[None, :]
        sim = ext_minus_fair[np.minimum(k2, nseg)]
        sim += (inc[k1] - extreme[k1] + fair_total)[:, None, :]
        den = sim + 1
        np.subtract(sim, obs, out=sim)
        np.square(sim, out=sim)
        np.divide(sim, den, out=sim)
        d = sim.sum(axis=-1)
        d[k2 > nseg] = np.inf
        return d

    all_i, all_j = np.arange(FI_GRID.size), np.arange(FE_GRID.size)
    best = (np.inf, 0.0, 0.0, 0.0)
    for theta, b in zip(THETAS, b_inc, strict=True):
        d = distance(cum(b), all_i, all_j)
        i, j = np.unravel_index(int(np.argmin(d)), d.shape)
        if d[i, j] < best[0]:
            best = (float(d[i, j]), float(FI_GRID[i]), float(FE_GRID[j]), theta)
        dist_fair = float(d[0, 0])
    return best, (a0, sa, v0, sv), dist_fair


def klimek_fit(
    registered: np.ndarray,
    issued: np.ndarray,
    valid: np.ndarray,
    invalid: np.ndarray,
    leader: np.ndarray,
    *,
    n_replicates: int = 20,
    seed: int = 42,
    alpha: float = 1.0,
    min_registered: int = 100,
) -> KlimekResult:
    """Fit f_i (incremental) and f_e (extreme fraud) to the fingerprint; see the module doc."""
    (reg, iss, val, inv, lead), dropped = drop_nan(registered, issued, valid, invalid, leader)
    cast = val + inv
    with np.errstate(divide="ignore", invalid="ignore"):
        t, v = iss / reg, lead / cast
    keep = (reg >= min_registered) & (cast > 0) & (t > 0) & (t <= 1) & (v >= 0) & (v <= 1)
    t, v = t[keep], v[keep]
    rng = np.random.default_rng(seed)
    (dist, fi, fe, theta), (a0, sa, v0, sv), dist_fair = _fit_once(t, v, rng, alpha)
    # Half-sampling: refit on random halves (without replacement, so no duplicated
    # stations lump the histogram); Var(full) ~ m / (n - m) * Var(half) = Var(half).
    reps = []
    for _ in range(n_replicates):
        idx = rng.permutation(t.size)[: t.size // 2]
        reps.append(_fit_once(t[idx], v[idx], rng, alpha)[0][1:3])
    r = np.asarray(reps, dtype=np.float64).reshape(-1, 2)

    def spread(col: np.ndarray, point: float) -> tuple[float, tuple[float, float]]:
        if col.size < 2:
            return float("nan"), (float("nan"), float("nan"))
        sd = float(col.std(ddof=1))
        return sd, (max(0.0, point - 1.96 * sd), min(1.0, point + 1.96 * sd))

    sd_i, ci_i = spread(r[:, 0], fi)
    sd_e, ci_e = spread(r[:, 1], fe)
    edge = fi == FI_GRID[-1] or fe == FE_GRID[-1] or theta == THETAS[-1]
    return KlimekResult(
        f_incremental=fi,
        f_extreme=fe,
        theta=theta,
        alpha=float(alpha),
        sd_incremental=sd_i,
        sd_extreme=sd_e,
        ci95_incremental=ci_i,
        ci95_extreme=ci_e,
        n_replicates=int(n_replicates),
        seed=int(seed),
        fair_turnout=a0,
        fair_turnout_sd=sa,
        fair_share=v0,
        fair_share_sd=sv,
        distance=dist,
        distance_fair=dist_fair,
        at_grid_edge=bool(edge),
        n_stations=int(t.size),
        n_dropped_nan=dropped,
        n_excluded=int((~keep).sum()),
        measures=(
            "Klimek et al. (2012) model fitted on the station turnout x leader-share histogram "
            f"(2-pp bins): f_i = share of stations with incremental fraud, f_e = with extreme "
            f"fraud; grid f_i 0-1 by 0.025, f_e 0-0.2 by 0.005, theta in {list(THETAS)}, "
            f"alpha = {alpha:g}; fair turnout and share from the modes and the left halves of "
            f"their distributions; uncertainty: SD of {n_replicates} refits on random halves "
            f"of the stations (half-sampling; interval = estimate +- 1.96 SD; seed {seed}); stations with >= {min_registered} registered."
        ),
        caveat=CAVEAT + " The model reads every departure from two independent Gaussians "
        "(fair turnout and share) as fraud: a genuine link between turnout and support, "
        "or several regional modes, raises f_i and f_e.",
    )
