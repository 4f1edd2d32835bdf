"""Unit tests for elect.core.forensics on small hand-built arrays."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

forensics = pytest.importorskip("elect.core.forensics")


# --------------------------------------------------------------------------- chi2


def test_chi2_sf_matches_known_critical_values() -> None:
    assert forensics.chi2_sf(16.918977604620448, 9) == pytest.approx(0.05, abs=1e-12)
    assert forensics.chi2_sf(21.665994333461924, 9) == pytest.approx(0.01, abs=1e-12)
    # df = 2 has the closed form exp(-x/2)
    for x in (0.1, 3.0, 40.0):
        assert forensics.chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-12)
    assert forensics.chi2_sf(0.0, 9) == 1.0


# ------------------------------------------------------------------ distributions


def test_percent_edges_centred_and_validated() -> None:
    e = forensics.percent_edges(10)
    assert e[0] == -5 and e[-1] == 105 and len(e) == 12
    assert len(forensics.percent_edges(0.5)) == 202
    with pytest.raises(ValueError):
        forensics.percent_edges(3)


def test_turnout_histogram_weights_and_exclusions() -> None:
    reg = np.array([100, 100, 200, 0, np.nan, 50])
    iss = np.array([50, 50, 160, 0, 10, 60])  # last: 120% turnout
    r = forensics.turnout_histogram(reg, iss, bin_width=10, weights="registered")
    counts = dict(zip(np.round(r.edges[:-1] + 5).astype(int), r.counts, strict=True))
    assert counts[50] == 200 and counts[80] == 200
    assert r.counts.sum() == 400
    assert (r.n_dropped_nan, r.n_excluded, r.n_out_of_range) == (1, 1, 1)
    s = forensics.turnout_histogram(reg, iss, bin_width=10, weights="stations")
    assert dict(zip(np.round(s.edges[:-1] + 5).astype(int), s.counts, strict=True))[50] == 2


def test_leader_share_histogram_uses_cast() -> None:
    valid = np.array([90, 180, 0])
    invalid = np.array([10, 20, 0])
    leader = np.array([70, 60, 0])  # 70% and 30% of cast
    r = forensics.leader_share_histogram(valid, invalid, leader, bin_width=10)
    by_centre = dict(zip(np.round(r.edges[:-1] + 5).astype(int), r.counts, strict=True))
    assert by_centre[70] == 100 and by_centre[30] == 200
    assert r.n_excluded == 1


def test_fingerprint_cells() -> None:
    reg = np.array([100, 100, 100, 100])
    iss = np.array([50, 50, 90, 90])
    valid = np.array([50, 50, 90, 90])
    invalid = np.zeros(4)
    leader = np.array([20, 20, 81, 0])
    r = forensics.fingerprint(reg, iss, valid, invalid, leader, bin_width=10)
    assert r.counts.shape == (11, 11)
    assert r.counts[5, 4] == 2  # turnout 50%, share 40%
    assert r.counts[9, 9] == 1  # turnout 90%, share 90%
    assert r.counts[9, 0] == 1
    assert r.counts.sum() == 4


# ------------------------------------------------------------ integer percentages


def test_is_integer_percent_tolerance() -> None:
    k = np.array([70, 705, 241, 242, 0, 333])
    n = np.array([100, 1000, 2000, 2000, 500, 1000])
    # 70%, 70.5%, 12.05% (boundary, inclusive), 12.1%, 0%, 33.3%
    assert forensics.is_integer_percent(k, n).tolist() == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]


def _brute_hit_probability(n: int, p: float, tol: float = 0.05) -> float:
    total = 0.0
    for k in range(n + 1):
        pct = 100.0 * k / n
        if abs(pct - round(pct)) <= tol + 1e-9:
            total += math.exp(
                math.lgamma(n + 1)
                - math.lgamma(k + 1)
                - math.lgamma(n - k + 1)
                + k * math.log(p)
                + (n - k) * math.log1p(-p)
            )
    return total


def test_integer_hit_probability_exact() -> None:
    n = np.array([100, 200, 1000, 1500, 137, 2000])
    p = np.array([0.5, 0.3, 0.62, 0.41, 0.9, 0.123])
    q = forensics.integer_hit_probability(n, p)
    assert q[0] == pytest.approx(1.0, abs=1e-12)  # every k/100 is a whole percent
    assert q[1] == pytest.approx((1 + 0.4**200) / 2, abs=1e-12)  # even k only
    for i in range(n.size):
        assert q[i] == pytest.approx(_brute_hit_probability(int(n[i]), p[i]), abs=1e-12)
    # degenerate probabilities
    assert forensics.integer_hit_probability(np.array([300]), np.array([0.0]))[0] == 1.0


def test_integer_percentages_hand_built_counts() -> None:
    # registered, issued, valid, invalid, leader
    rows = [
        (1000, 700, 690, 10, 350),  # turnout 70% (int), share 50% (int)
        (1000, 705, 700, 5, 300),  # 70.5%, 42.55% -> neither
        (2000, 1301, 1300, 1, 700),  # 65.05% (int, boundary), 53.8% -> turnout only
        (1500, 1000, 990, 10, 550),  # 66.67%, 55% -> leader only
        (99, 50, 50, 0, 25),  # excluded: registered < 100
        (1000, 995, 990, 5, 500),  # excluded: turnout > 99%
        (1000, 600, 600, 0, 597),  # excluded: share > 99%
        (1000, 0, 0, 0, 0),  # excluded: nothing cast
        (np.nan, 500, 500, 0, 250),  # dropped: NaN
    ]
    a = np.array(rows, dtype=float).T
    r = forensics.integer_percentages(*a, n_replicates=50, seed=1)
    assert r.n_stations == 4
    assert r.n_excluded == 4
    assert r.n_dropped_nan == 1
    assert (r.turnout.observed, r.leader.observed, r.either.observed) == (2, 2, 3)
    d = r.to_dict()
    json.dumps(d)
    assert d["either"]["observed"] == 3
    assert d["min_registered"] == 100 and d["tolerance_pp"] == 0.05


def test_integer_percentages_all_integer_null_has_no_excess() -> None:
    # n = 100 everywhere: every count is a whole percent, under the null too
    reg = np.full(30, 100.0)
    iss = np.full(30, 60.0)
    r = forensics.integer_percentages(reg, iss, iss, 0 * iss, iss / 2, n_replicates=20)
    assert r.either.observed == 30
    assert r.either.expected_mean == 30 and r.either.expected_sd == 0
    assert r.either.excess == 0
    assert r.either.p_value_mc == pytest.approx(1.0)


def _synthetic(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    reg = rng.integers(300, 3000, n).astype(float)
    iss = rng.binomial(reg.astype(np.int64), rng.uniform(0.4, 0.8, n)).astype(float)
    invalid = rng.binomial(iss.astype(np.int64), 0.02).astype(float)
    valid = iss - invalid
    leader = rng.binomial(valid.astype(np.int64), rng.uniform(0.3, 0.7, n)).astype(float)
    return reg, iss, valid, invalid, leader


def test_integer_percentages_mc_matches_exact_and_binomial() -> None:
    reg, iss, valid, invalid, leader = _synthetic(3000, 7)
    ex = forensics.integer_percentages(reg, iss, valid, invalid, leader, n_replicates=400)
    bi = forensics.integer_percentages(
        reg, iss, valid, invalid, leader, n_replicates=400, method="binomial"
    )
    for name in ("turnout", "leader", "either"):
        e, b = getattr(ex, name), getattr(bi, name)
        se = e.exact_sd / math.sqrt(400)
        assert abs(e.expected_mean - e.exact_mean) < 5 * se
        assert abs(b.expected_mean - e.exact_mean) < 5 * se
        assert b.expected_sd == pytest.approx(e.exact_sd, rel=0.2)
        assert e.observed == b.observed
    # honest data: no significant excess
    assert abs(ex.either.z) < 4


def test_integer_percentages_detects_planted_integers() -> None:
    reg, iss, valid, invalid, leader = _synthetic(3000, 11)
    # 300 stations of 1000 voters report exactly 80% turnout
    reg[:300] = 1000
    iss[:300] = 800
    invalid[:300] = 0
    valid[:300] = 800
    leader[:300] = 401  # 50.125% share, not integer
    clean = forensics.integer_percentages(
        reg[300:], iss[300:], valid[300:], invalid[300:], leader[300:], n_replicates=300
    )
    r = forensics.integer_percentages(reg, iss, valid, invalid, leader, n_replicates=300)
    # those 300 would hit an integer ~10% of the time by chance
    assert 220 < r.turnout.excess - clean.turnout.excess < 300
    assert r.turnout.z > 10
    assert r.turnout.p_value_mc == pytest.approx(1 / 301)


def test_integer_percentages_is_seeded() -> None:
    args = _synthetic(500, 3)
    a = forensics.integer_percentages(*args, n_replicates=100, seed=5)
    b = forensics.integer_percentages(*args, n_replicates=100, seed=5)
    c = forensics.integer_percentages(*args, n_replicates=100, seed=6)
    assert a.to_dict() == b.to_dict()
    assert a.either.expected_mean != c.either.expected_mean


# ------------------------------------------------------------------------ shpilkin


def _shpilkin_case(stuffed: float = 400.0) -> tuple[np.ndarray, ...]:
    # 10 clean stations: 50% turnout, leader 60% (300 of 500)
    # 5 stuffed stations: the same honest vote plus `stuffed` ballots for the leader
    reg = np.full(15, 1000.0)
    iss = np.r_[np.full(10, 500.0), np.full(5, 500.0 + stuffed)]
    invalid = np.zeros(15)
    valid = iss.copy()
    leader = np.r_[np.full(10, 300.0), np.full(5, 300.0 + stuffed)]
    return reg, iss, valid, invalid, leader


def test_shpilkin_recovers_planted_votes_exactly() -> None:
    reg, iss, valid, invalid, leader = _shpilkin_case()
    # plus a station with no voters and one with NaN
    reg = np.r_[reg, 0, np.nan]
    iss = np.r_[iss, 0, 1]
    valid = np.r_[valid, 0, 1]
    invalid = np.r_[invalid, 0, 0]
    leader = np.r_[leader, 0, 1]
    r = forensics.shpilkin_estimate(reg, iss, valid, invalid, leader)
    assert r.anomalous_votes == pytest.approx(2000.0)
    assert r.share_of_leader_votes == pytest.approx(2000 / 6500)
    assert r.clean_leader_share == pytest.approx(0.6)
    assert r.clean_turnout == pytest.approx(0.5)
    assert r.clean_cutoff_pp == pytest.approx(51.0)
    assert r.corrected_leader_share == pytest.approx(0.6)
    assert r.corrected_turnout == pytest.approx(0.5)
    assert (r.n_stations, r.n_excluded, r.n_dropped_nan, r.n_clean_stations) == (15, 1, 1, 10)
    json.dumps(r.to_dict())


def test_shpilkin_variants() -> None:
    args = _shpilkin_case()
    fixed = forensics.shpilkin_estimate(*args, clean_zone="fixed", clean_cutoff=60)
    assert fixed.anomalous_votes == pytest.approx(2000.0)
    cast = forensics.shpilkin_estimate(*args, extrapolate="cast")
    assert cast.anomalous_votes == pytest.approx(2000.0 * (1 - 0.6))
    half = forensics.shpilkin_estimate(*args, bin_width=0.5)
    assert half.anomalous_votes == pytest.approx(2000.0)
    assert half.bin_width_pp == 0.5
    none = forensics.shpilkin_estimate(*_shpilkin_case(stuffed=0.0))
    assert none.anomalous_votes == pytest.approx(0.0)
    with pytest.raises(ValueError):
        forensics.shpilkin_estimate(*args, clean_zone="fixed")


def test_shpilkin_peak_max_skips_spike() -> None:
    reg, iss, valid, invalid, leader = _shpilkin_case()
    # a huge 97%-turnout pseudo-station dominates the 'others' histogram
    reg = np.r_[reg, 100000.0]
    iss = np.r_[iss, 97000.0]
    valid = np.r_[valid, 97000.0]
    invalid = np.r_[invalid, 0.0]
    leader = np.r_[leader, 58200.0]  # 60% share: honest at that share
    spiked = forensics.shpilkin_estimate(reg, iss, valid, invalid, leader)
    assert spiked.clean_cutoff_pp == pytest.approx(98.0)
    ok = forensics.shpilkin_estimate(reg, iss, valid, invalid, leader, peak_max=90)
    assert ok.clean_cutoff_pp == pytest.approx(51.0)
    assert ok.anomalous_votes == pytest.approx(2000.0)


# -------------------------------------------------------------------------- digits


def test_last_digit_and_zero_five_hand_computed() -> None:
    # 30 end in 0, 10 each end in 1..7, none in 8 or 9
    counts = [10 * (i + 1) for i in range(30)]
    for d in range(1, 8):
        counts += [100 + 10 * i + d for i in range(10)]
    counts += [5, 7, np.nan]  # two below min_count, one NaN
    r = forensics.last_digit_test(np.array(counts))
    assert r.observed == (30, 10, 10, 10, 10, 10, 10, 10, 0, 0)
    assert r.chi2 == pytest.approx(60.0)  # 400/10 + 10 + 10
    assert r.df == 9
    assert r.p_value == pytest.approx(forensics.chi2_sf(60.0, 9))
    assert r.p_value < 1e-8
    assert (r.n_counts, r.n_excluded, r.n_dropped_nan) == (100, 2, 1)
    z = forensics.zero_five_test(np.array(counts))
    assert z.n_zero_or_five == 40 and z.share == pytest.approx(0.4)
    assert z.z == pytest.approx(5.0)  # (40 - 20) / sqrt(100 * .2 * .8)
    assert z.p_value == pytest.approx(math.erfc(5 / math.sqrt(2)))


def test_last_digit_uniform_is_zero() -> None:
    r = forensics.last_digit_test(np.arange(10, 110).reshape(10, 10))  # matrix input
    assert r.chi2 == 0 and r.p_value == pytest.approx(1.0)


def test_second_digit_benford_hand_computed() -> None:
    probs = [sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)]
    assert probs[0] == pytest.approx(0.11968, abs=1e-5)
    assert probs[9] == pytest.approx(0.08500, abs=1e-5)
    counts = np.arange(10, 100)  # each second digit 9 times
    r = forensics.second_digit_test(counts)
    assert r.observed == (9,) * 10
    expected_chi2 = sum((9 - 90 * p) ** 2 / (90 * p) for p in probs)
    assert r.chi2 == pytest.approx(expected_chi2, rel=1e-12)
    assert r.mean_digit == pytest.approx(4.5)
    assert r.expected_mean_digit == pytest.approx(4.187, abs=1e-3)
    # large numbers and exact powers of ten
    big = forensics.second_digit_test(np.array([1000, 10**9, 1999, 123456, 9, 5]))
    # 1000 -> 0, 10**9 -> 0, 1999 -> 9, 123456 -> 2
    assert big.observed == (2, 0, 1, 0, 0, 0, 0, 0, 0, 1)
    assert big.n_excluded == 2


# ----------------------------------------------------------------------- by region


def test_by_region_ranks_rows() -> None:
    reg, iss, valid, invalid, leader = _shpilkin_case()
    c_reg, c_iss, c_val, c_inv, c_lead = _shpilkin_case(stuffed=0.0)
    region = np.array(["A"] * 15 + ["B"] * 15 + ["C"])
    arrays = {
        "registered": np.r_[c_reg, reg, 10.0],
        "issued": np.r_[c_iss, iss, 5.0],
        "valid": np.r_[c_val, valid, 5.0],
        "invalid": np.r_[c_inv, invalid, 0.0],
        "leader": np.r_[c_lead, leader, 3.0],
    }
    r = forensics.by_region(
        region,
        forensics.shpilkin_estimate,
        arrays,
        key="anomalous_votes",
        min_stations=2,
    )
    assert [row.region for row in r.rows] == ["B", "A"]
    assert r.rows[0].value == pytest.approx(2000.0)
    assert r.rows[1].value == pytest.approx(0.0)
    assert r.n_regions_skipped == 1
    asc = forensics.by_region(
        region, forensics.shpilkin_estimate, arrays, key="anomalous_votes", descending=False
    )
    assert asc.rows[0].region in ("A", "C")
    json.dumps(r.to_dict())


def test_by_region_nested_key() -> None:
    counts = np.r_[np.arange(10, 110), np.full(100, 20)]
    region = np.array(["u"] * 100 + ["z"] * 100)
    r = forensics.by_region(region, forensics.zero_five_test, {"counts": counts}, key="share")
    assert [row.region for row in r.rows] == ["z", "u"]
    assert r.rows[0].value == pytest.approx(1.0)


def test_to_dict_is_json_safe_with_nan() -> None:
    r = forensics.last_digit_test(np.array([1.0, 2.0]))  # nothing >= 10
    d = r.to_dict()
    assert d["chi2"] is None and d["n_counts"] == 0
    json.dumps(d, allow_nan=False)
    h = forensics.turnout_histogram(np.array([100.0]), np.array([50.0]))
    json.dumps(h.to_dict(), allow_nan=False)
    assert "not proof" in h.caveat
