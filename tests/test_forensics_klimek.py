"""Klimek et al. (2012) fraud-model fit: recovery on simulated elections with known fraud."""

from __future__ import annotations

import numpy as np
import pytest

from elect.core import forensics as fx


def simulated(n=30_000, fi=0.0, fe=0.0, theta=0.15, seed=0):
    """The model's own data-generating process, with integer counts."""
    rng = np.random.default_rng(seed)
    reg = rng.integers(300, 3000, n).astype(float)
    a = np.clip(rng.normal(0.55, 0.08, n), 0.01, 0.99)
    s = np.clip(rng.normal(0.45, 0.08, n), 0.01, 0.99)
    u = rng.random(n)
    x = np.zeros(n)
    inc, ext = u < fi, (u >= fi) & (u < fi + fe)
    x[inc] = np.clip(np.abs(rng.normal(0, theta, int(inc.sum()))), 0, 0.99)
    x[ext] = np.clip(1 - np.abs(rng.normal(0, 0.075, int(ext.sum()))), 0, 1)
    turnout = a + x * (1 - a)
    lead = a * s + x * (1 - a) + x * a * (1 - s)
    issued = np.round(reg * turnout)
    leader = np.minimum(np.round(reg * lead), issued)
    return dict(registered=reg, issued=issued, valid=issued, invalid=np.zeros(n), leader=leader)


def test_no_fraud_fits_zero():
    r = fx.klimek_fit(**simulated(), n_replicates=3, seed=1)
    assert (r.f_incremental, r.f_extreme) == (0.0, 0.0)
    assert r.distance == r.distance_fair
    assert r.fair_turnout == pytest.approx(0.55, abs=0.01)
    assert r.fair_share == pytest.approx(0.45, abs=0.01)
    assert r.fair_turnout_sd == pytest.approx(0.08, abs=0.01)


def test_extreme_fraud_is_recovered_and_incremental_is_found():
    r = fx.klimek_fit(**simulated(fi=0.3, fe=0.03), n_replicates=4, seed=1)
    assert r.f_extreme == pytest.approx(0.03, abs=0.006)
    # f_i is biased low when the fair modes are estimated from the data (docs/forensics.md)
    assert 0.1 <= r.f_incremental <= 0.35
    assert r.distance < 0.05 * r.distance_fair
    assert r.sd_incremental > 0 and r.sd_extreme >= 0
    lo, hi = r.ci95_incremental
    assert 0 <= lo <= r.f_incremental <= hi <= 1
    assert "half" in r.measures and "not proof of fraud" in r.caveat


def test_few_stations_do_not_break_the_fit():
    r = fx.klimek_fit(**simulated(n=200), n_replicates=2)
    assert 0 <= r.f_incremental <= 1 and 0 <= r.f_extreme <= 0.2
    assert r.n_stations == 200
