"""Digit tests on vote counts.

* Second-digit Benford test (2BL; Mebane, e.g. "Election Forensics: Vote Counts
  and Benford's Law", 2006): second digits of counts >= 10 against
  P(d) = sum_{k=1..9} log10(1 + 1/(10k + d)); Pearson chi-square, df = 9.
* Last-digit test (Beber & Scacco, Political Analysis 2012): last digits of
  counts >= ``min_count`` against the uniform distribution; chi-square, df = 9,
  plus the share of counts ending in 0 or 5 against 20% (binomial z-test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .chi2 import chi2_sf, normal_two_sided
from .result import CAVEAT, ResultMixin

BENFORD_SECOND = np.array(
    [sum(math.log10(1.0 + 1.0 / (10 * k + d)) for k in range(1, 10)) for d in range(10)]
)
BENFORD_SECOND_MEAN = float((np.arange(10) * BENFORD_SECOND).sum())  # about 4.187


@dataclass(frozen=True)
class DigitTestResult(ResultMixin):
    test: str
    n_counts: int
    n_dropped_nan: int
    n_excluded: int
    min_count: int
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    chi2: float
    df: int
    p_value: float
    mean_digit: float
    expected_mean_digit: float
    measures: str
    caveat: str


@dataclass(frozen=True)
class ZeroFiveResult(ResultMixin):
    n_counts: int
    n_dropped_nan: int
    n_excluded: int
    min_count: int
    n_zero_or_five: int
    share: float
    expected_share: float
    z: float
    p_value: float
    measures: str
    caveat: str


def _clean_counts(counts: np.ndarray, min_count: int) -> tuple[np.ndarray, int, int]:
    x = np.asarray(counts, dtype=np.float64).ravel()
    finite = np.isfinite(x)
    dropped = int((~finite).sum())
    x = x[finite]
    keep = (x >= min_count) & (x == np.round(x))
    return x[keep].astype(np.int64), dropped, int((~keep).sum())


def _pow10_below(x: np.ndarray) -> np.ndarray:
    """10**(number of digits - 2) for integers x >= 10, exact (log10 corrected)."""
    if x.size == 0:
        return np.ones(0, dtype=np.int64)
    e = np.floor(np.log10(x.astype(np.float64))).astype(np.int64)  # digits - 1
    p = np.power(10, e, dtype=np.int64)
    e = np.where(p > x, e - 1, e)
    e = np.where(np.power(10, e + 1, dtype=np.int64) <= x, e + 1, e)
    return np.power(10, e - 1, dtype=np.int64)


def _chi2(observed: np.ndarray, probs: np.ndarray) -> tuple[float, np.ndarray]:
    n = observed.sum()
    expected = probs * n
    if n == 0:
        return float("nan"), expected
    return float(((observed - expected) ** 2 / expected).sum()), expected


def second_digit_test(counts: np.ndarray, *, min_count: int = 10) -> DigitTestResult:
    """Mebane's 2BL test: second digits of counts >= max(10, min_count) vs Benford."""
    min_count = max(10, int(min_count))
    x, dropped, excluded = _clean_counts(counts, min_count)
    digits_ = (x // _pow10_below(x)) % 10
    obs = np.bincount(digits_, minlength=10)
    stat, expected = _chi2(obs, BENFORD_SECOND)
    return DigitTestResult(
        test="second_digit_benford",
        n_counts=int(x.size),
        n_dropped_nan=dropped,
        n_excluded=excluded,
        min_count=min_count,
        observed=tuple(int(v) for v in obs),
        expected=tuple(float(v) for v in expected),
        chi2=stat,
        df=9,
        p_value=chi2_sf(stat, 9),
        mean_digit=float(digits_.mean()) if x.size else float("nan"),
        expected_mean_digit=BENFORD_SECOND_MEAN,
        measures=(
            "Pearson chi-square of the second digits of vote counts against "
            "Benford's second-digit law (Mebane's 2BL test, df = 9)."
        ),
        caveat=CAVEAT + " Honest counts need not follow 2BL (it depends on station size and "
        "competitiveness) and some kinds of fraud leave it intact; with "
        "tens of thousands of counts, tiny deviations become 'significant'.",
    )


def last_digit_test(counts: np.ndarray, *, min_count: int = 10) -> DigitTestResult:
    """Beber & Scacco last-digit test: last digits of counts >= ``min_count`` vs uniform."""
    x, dropped, excluded = _clean_counts(counts, min_count)
    digits_ = x % 10
    obs = np.bincount(digits_, minlength=10)
    stat, expected = _chi2(obs, np.full(10, 0.1))
    return DigitTestResult(
        test="last_digit_uniform",
        n_counts=int(x.size),
        n_dropped_nan=dropped,
        n_excluded=excluded,
        min_count=int(min_count),
        observed=tuple(int(v) for v in obs),
        expected=tuple(float(v) for v in expected),
        chi2=stat,
        df=9,
        p_value=chi2_sf(stat, 9),
        mean_digit=float(digits_.mean()) if x.size else float("nan"),
        expected_mean_digit=4.5,
        measures=(
            "Pearson chi-square of the last digits of vote counts against the "
            "uniform distribution (Beber & Scacco 2012, df = 9). Humans who "
            "invent numbers tend to over- or under-use some digits."
        ),
        caveat=CAVEAT + " Small counts have non-uniform last digits by arithmetic, hence the "
        "minimum count; the test cannot say which counts were invented.",
    )


def zero_five_test(counts: np.ndarray, *, min_count: int = 10) -> ZeroFiveResult:
    """Share of counts >= ``min_count`` ending in 0 or 5, binomial z-test against 20%."""
    x, dropped, excluded = _clean_counts(counts, min_count)
    n = int(x.size)
    k = int(np.isin(x % 10, (0, 5)).sum())
    share = k / n if n else float("nan")
    z = (k - 0.2 * n) / math.sqrt(n * 0.2 * 0.8) if n else float("nan")
    return ZeroFiveResult(
        n_counts=n,
        n_dropped_nan=dropped,
        n_excluded=excluded,
        min_count=int(min_count),
        n_zero_or_five=k,
        share=share,
        expected_share=0.2,
        z=z,
        p_value=normal_two_sided(z),
        measures=(
            "Share of vote counts whose last digit is 0 or 5 (rounded-looking "
            "numbers), two-sided binomial z-test against 20%."
        ),
        caveat=CAVEAT,
    )
