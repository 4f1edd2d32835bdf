"""Reproduce published figures on the Russian federal election corpus (Kobak et al.).

The data are read from ../shared/corpus/russia-federal-kobak beside the repo and
never copied into it. Published figures and their sources: docs/forensics.md.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

forensics = pytest.importorskip("elect.core.forensics")

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "russia-federal-kobak"

LEADER_KEYS = ("Путин", "ЕДИНАЯ РОССИЯ", "Медведев")

# Excess of integer polling stations ("turnout or leader's result", stations),
# Kobak's anomaly() with nrep=1000, seed 42: montecarlo.pickle in
# github.com/dkobak/elections analysis/duma2021 (and analysis/2024 for 2024).
# (published excess, published MC SD)
PUBLISHED_INTEGER_EXCESS = {
    2011: (1003.477, 113.07),
    2012: (1159.585, 116.35),
    2018: (1708.839, 116.54),
    2021: (1309.768, 118.50),
    2024: (2930.984, 115.42),
}


def _require_corpus(year: int) -> Path:
    path = CORPUS / f"{year}.csv.zip"
    if not path.exists():
        pytest.skip(
            f"corpus file not found: {path} (the shared Kobak corpus is not beside the repo)"
        )
    return path


@cache
def load(year: int) -> dict[str, np.ndarray]:
    pd = pytest.importorskip("pandas")
    table = pd.read_csv(_require_corpus(year))
    cols = list(table.columns)

    def one(prefixes: tuple[str, ...]) -> np.ndarray:
        found = [c for c in cols if c.startswith(prefixes)]
        assert len(found) == 1, found
        return table[found[0]].to_numpy(dtype=float)

    issued_cols = [
        c for c in cols if "выданных" in c and c.startswith("Число избирательных бюллетеней")
    ]
    assert len(issued_cols) == 3, issued_cols
    leader_cols = [c for c in cols if any(k in c for k in LEADER_KEYS)]
    assert len(leader_cols) == 1, leader_cols
    return {
        "registered": one(("Число избирателей, включенных", "Число избирателей, внесенных")),
        "issued": table[issued_cols].to_numpy(dtype=float).sum(axis=1),
        "valid": one(("Число действительных",)),
        "invalid": one(("Число недействительных",)),
        "leader": table[leader_cols[0]].to_numpy(dtype=float),
        "region": table["region"].astype(str).to_numpy(),
    }


def _stations(d: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    return d["registered"], d["issued"], d["valid"], d["invalid"], d["leader"]


def test_2018_national_figures() -> None:
    d = load(2018)
    turnout = d["issued"].sum() / d["registered"].sum()
    share = d["leader"].sum() / (d["valid"] + d["invalid"]).sum()
    assert round(100 * turnout, 2) == 67.54
    assert round(100 * share, 2) == 76.69
    assert int(d["leader"].sum()) == 56_430_712
    r = forensics.shpilkin_estimate(*_stations(d))
    assert r.leader_votes == 56_430_712
    assert round(100 * r.official_leader_share, 2) == 76.69


@pytest.mark.parametrize("year", sorted(PUBLISHED_INTEGER_EXCESS))
def test_integer_excess_matches_kobak(year: int) -> None:
    d = load(year)
    r = forensics.integer_percentages(*_stations(d), n_replicates=200, seed=42)
    published, published_sd = PUBLISHED_INTEGER_EXCESS[year]
    # our MC spread with 200 replicates plus theirs: allow 3 SD of the null count
    assert abs(r.either.excess - published) < 3 * published_sd
    assert r.either.expected_sd == pytest.approx(published_sd, rel=0.25)
    assert r.either.exact_sd == pytest.approx(published_sd, rel=0.05)
    assert r.either.z > 7
    if year == 2024:
        assert r.n_dropped_nan == 2268


def test_integer_excess_components_2018() -> None:
    r = forensics.integer_percentages(*_stations(load(2018)), n_replicates=200)
    # published: leader 859.01, turnout 1296.19 (same pickle, [2018, 1, 0] / [2018, 2, 0])
    assert abs(r.leader.excess - 859.01) < 3 * 88.45
    assert abs(r.turnout.excess - 1296.19) < 3 * 90.09


def test_shpilkin_2018_near_published() -> None:
    # Shpilkin, first estimate 9.947 million (ehorussia.com, citing his Facebook);
    # "not less than 8.5 million" (inliberty.ru); "10 million" (Vedomosti 2018-03-20).
    r = forensics.shpilkin_estimate(*_stations(load(2018)))
    assert 0.85 * 9.947e6 < r.anomalous_votes < 1.15 * 9.947e6
    assert 8.5e6 < r.anomalous_votes
    assert 0.70 < r.clean_leader_share < 0.75


def test_shpilkin_2021_near_published() -> None:
    # Shpilkin 2021: ~13.8 million anomalous votes for United Russia, 31-33%
    # without falsification (Novaya Gazeta, 2021-09-21). Remote e-voting
    # pseudo-stations (registered > 10,000; corpus README) are left out.
    d = load(2021)
    keep = ~(d["registered"] > 10_000)
    r = forensics.shpilkin_estimate(*(a[keep] for a in _stations(d)))
    assert 0.85 * 13.8e6 < r.anomalous_votes < 1.15 * 13.8e6
    assert 0.30 < r.clean_leader_share < 0.33
    # without dropping them, peak_max steps over the e-voting spike near 95-97%
    r2 = forensics.shpilkin_estimate(*_stations(d), peak_max=90)
    assert 0.85 * 13.8e6 < r2.anomalous_votes < 1.15 * 13.8e6


def test_digit_tests_run_on_real_counts() -> None:
    d = load(2018)
    r = forensics.last_digit_test(d["leader"])
    assert r.n_counts > 90_000 and r.df == 9 and 0.0 <= r.p_value <= 1.0
    s = forensics.second_digit_test(d["leader"])
    assert s.n_counts > 90_000 and 0.0 <= s.p_value <= 1.0


def test_by_region_integer_excess_2018() -> None:
    d = load(2018)
    arrays = dict(
        zip(("registered", "issued", "valid", "invalid", "leader"), _stations(d), strict=True)
    )
    r = forensics.by_region(
        d["region"],
        forensics.integer_percentages,
        arrays,
        key="either.excess",
        kwargs={"n_replicates": 50},
        min_stations=50,
    )
    assert len(r.rows) > 70
    values = [row.value for row in r.rows]
    assert values == sorted(values, reverse=True)
    # the national excess is concentrated: top 10 regions carry most of it
    assert sum(values[:10]) > 0.5 * 1708.8
