"""Shpilkin variants, the LM fit behind CEDAR's clean-bin rule, and --exclude (synthetic data)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import invoke
from elect.core import forensics as fx
from elect.core.forensics import lmfit
from elect.core.forensics.shpilkin_variants import cedar_clean_bin, turnout_bins


def election(n=20_000, stuffed=0.0, seed=1, turnout=0.5, sd=0.08, share=0.4):
    """Stations with honest turnout ~ N(turnout, sd) and leader share ``share``; a
    fraction ``stuffed`` of stations gets ballots for the leader added (known total)."""
    rng = np.random.default_rng(seed)
    reg = rng.integers(500, 2500, n).astype(float)
    t = np.clip(rng.normal(turnout, sd, n), 0.05, 0.95)
    cast = rng.binomial(reg.astype(np.int64), t).astype(float)
    lead = rng.binomial(cast.astype(np.int64), share).astype(float)
    added = np.zeros(n)
    hit = rng.random(n) < stuffed
    room = reg - cast
    added[hit] = np.floor(room[hit] * rng.uniform(0.3, 0.8, int(hit.sum())))
    cast, lead = cast + added, lead + added
    invalid = np.zeros(n)
    arrays = dict(registered=reg, issued=cast.copy(), valid=cast, invalid=invalid, leader=lead)
    return arrays, float(added.sum())


def test_lm_recovers_a_two_gaussian_curve():
    x = np.linspace(0.01, 0.97, 97)
    true = np.array([0.45, 0.07, 900.0, 0.8, 0.05, 300.0])
    y = lmfit.bimodal(x, true)
    p = lmfit.levenberg_marquardt(
        lmfit.bimodal, lmfit.bimodal_jacobian, x, y, true * [1.1, 1.3, 0.8, 0.97, 1.5, 1.2]
    )
    assert p == pytest.approx(true, rel=1e-5)


def test_cedar_clean_bin_is_the_lower_mode():
    x = np.linspace(0.01, 1.0, 100)
    curve = lmfit.bimodal(x, np.array([0.42, 0.06, 1000.0, 0.85, 0.05, 250.0]))
    peak, fit = cedar_clean_bin(curve)
    assert fit["converged"] and peak in (40, 41)  # bin p holds (p, p+1]%: 0.42 -> bin 41
    assert fit["params"][0] == pytest.approx(0.42, abs=1e-3)


def test_bins_are_right_closed_like_cedar():
    reg = np.array([100.0, 100.0, 100.0, 100.0, 100.0])
    b = turnout_bins(np.array([0.0, 1.0, 50.0, 50.5, 101.0]), reg)
    assert b.tolist() == [-1, 0, 49, 50, 100]  # 0 and >100% fall in no bin


def test_cedar_finds_added_ballots_and_nothing_when_clean():
    clean, _ = election(stuffed=0.0)
    r0 = fx.shpilkin_variant(**clean, variant="cedar", n_bootstrap=100)
    assert r0.unstable == ""
    assert abs(r0.anomalous_votes) < 4 * r0.bootstrap_sd
    assert 45 <= r0.clean_bin_pp[0] <= 55
    dirty, added = election(stuffed=0.15)
    r1 = fx.shpilkin_variant(**dirty, variant="cedar", n_bootstrap=100)
    assert r1.unstable == ""
    # the per-bin clean share carries its own noise; within 15% of what was added
    assert r1.anomalous_votes == pytest.approx(added, rel=0.15)
    lo, hi = r1.bootstrap_ci95
    assert lo < r1.anomalous_votes < hi and r1.bootstrap_sd > 0
    assert set(r1.sensitivity) == {
        str(int(r1.clean_bin_pp[0]) - 1),
        str(int(r1.clean_bin_pp[0]) + 1),
    }


def test_shpilkin_variant_sums_right_of_the_clean_bin():
    dirty, added = election(stuffed=0.15, seed=4)
    r = fx.shpilkin_variant(**dirty, variant="shpilkin", n_bootstrap=50)
    assert r.variant.summed_bins == "right-of-clean" and r.variant.turnout == "issued"
    assert r.anomalous_votes == pytest.approx(added, rel=0.2)


def test_no_low_turnout_peak_is_unstable():
    arrays, _ = election(turnout=0.86, sd=0.04, seed=2)
    r = fx.shpilkin_variant(**arrays, variant="cedar", n_bootstrap=10)
    assert r.unstable.startswith("the clean bin lies at") or "fit" in r.unstable
    hand = fx.shpilkin_variant(**arrays, variant="cedar", clean_bin=60, n_bootstrap=10)
    assert "set by hand to 60-61%" in hand.unstable
    assert "clean bin set by hand to 60-61% turnout" in hand.warnings


def test_a_handful_of_big_units_making_the_peak_warns():
    arrays, _ = election(seed=3)
    # 30 e-voting-like pseudo-stations: 60,000 registered each, 96.5% turnout
    big = {
        "registered": np.full(30, 60_000.0),
        "issued": np.full(30, 57_900.0),
        "valid": np.full(30, 57_900.0),
        "invalid": np.zeros(30),
        "leader": np.full(30, 20_000.0),
    }
    both = {k: np.concatenate([arrays[k], big[k]]) for k in arrays}
    r = fx.shpilkin_variant(**both, variant="shpilkin", n_bootstrap=10)
    assert r.clean_bin_pp == (96.0, 97.0)
    assert r.unstable and any("handful" in w or "holds only" in w for w in r.warnings)
    classic = fx.shpilkin_estimate(**both)
    assert classic.clean_cutoff_pp == 97.0 and classic.unstable.startswith("the turnout peak")
    assert any("handful" in w or "largest" in w for w in classic.warnings)
    keep = ~fx.exclusion_mask("registered>10000", both)
    r2 = fx.shpilkin_variant(
        **{k: v[keep] for k, v in both.items()}, variant="shpilkin", n_bootstrap=10
    )
    assert r2.unstable == "" and r2.clean_bin_pp[0] < 60


def test_exclusion_expressions():
    a = {
        "registered": np.array([100.0, 20_000.0, 500.0, np.nan]),
        "issued": np.array([50.0, 19_000.0, 499.0, 10.0]),
        "valid": np.array([48.0, 19_000.0, 490.0, 10.0]),
        "invalid": np.array([2.0, 0.0, 9.0, 0.0]),
        "leader": np.array([20.0, 5_000.0, 480.0, 5.0]),
    }
    assert fx.exclusion_mask("registered>10000", a).tolist() == [False, True, False, False]
    assert fx.exclusion_mask("registered > 10_000 or turnout >= 99", a).tolist() == [
        False,
        True,
        True,
        False,
    ]
    assert fx.exclusion_mask("turnout>=90 and share>90", a).tolist() == [
        False,
        False,
        True,
        False,
    ]
    s = fx.summarize_exclusion("x", np.array([False, True, True, False]), a)
    assert (s.n_stations, s.registered, s.cast, s.leader) == (2, 20_500.0, 19_499.0, 5_480.0)
    for bad in ("", "registered", "registred>5", "registered >> 5", "turnout > abc"):
        with pytest.raises(fx.ExcludeError):
            fx.exclusion_mask(bad, a)


def test_bad_variant_and_clean_bin():
    arrays, _ = election(n=500)
    with pytest.raises(ValueError, match="unknown variant"):
        fx.shpilkin_variant(**arrays, variant="nope")
    with pytest.raises(ValueError, match="clean bin"):
        fx.shpilkin_variant(**arrays, clean_bin=100)


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    arrays, _ = election(n=3000, stuffed=0.1, seed=9)
    reg = arrays["registered"].astype(int)
    reg[:7] = 50_000  # seven pseudo-stations
    lines = ["region,station,registered,ballots_cast,invalid,Leader,Other"]
    for i in range(reg.size):
        cast = int(arrays["valid"][i])
        lead = int(arrays["leader"][i])
        region = "North" if i % 2 else "South"
        lines.append(f"{region},{i},{reg[i]},{cast},0,{lead},{cast - lead}")
    path = tmp_path_factory.mktemp("variants") / "stations.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, reg


def test_cli_exclude_lists_what_is_left_out(runner, csv_file):
    path, reg = csv_file
    args = ["forensics", str(path), "--replicates", "20", "--bootstrap", "20"]
    r = invoke(runner, *args, "--exclude", "registered>10000", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["excluded"]["n_stations"] == 7
    assert doc["excluded"]["registered"] == 7 * 50_000
    assert doc["stations"] == reg.size - 7
    assert doc["shpilkin"]["n_stations"] + doc["shpilkin"]["n_filtered"] == reg.size - 7
    t = invoke(runner, *args, "--exclude", "registered>10000", "--variant", "shpilkin")
    assert t.exit_code == 0, t.stderr
    assert "Left out by 'registered>10000' (--exclude): 7 stations, 350,000" in t.stdout
    assert "variant shpilkin" in t.stdout and "bootstrap SD" in t.stdout


def test_a_mapping_files_exclude_rule_is_named_as_the_mapping(runner, csv_file, tmp_path):
    path, _ = csv_file
    mapping = tmp_path / "stations.toml"
    mapping.write_text(
        '[columns]\nregion = "region"\nstation = "station"\nregistered = "registered"\n'
        'ballots_cast = "ballots_cast"\ninvalid = "invalid"\n\n'
        '[rules]\nforensics_exclude = "registered > 10000"\n'
    )
    args = ["forensics", str(path), "--replicates", "20", "--variant", "shpilkin"]
    t = invoke(runner, *args, "--map", str(mapping))
    assert t.exit_code == 0, t.stderr
    assert "Left out by 'registered > 10000' (mapping stations.toml): 7 stations" in t.stdout
    assert "preset" not in t.stdout


def test_cli_by_region_gives_the_variant_per_region(runner, csv_file):
    path, _ = csv_file
    r = invoke(runner, "forensics", str(path), "--json", "--replicates", "20", "--by", "region")
    assert r.exit_code == 0, r.stderr
    block = json.loads(r.stdout)["by_region"][1]
    assert block["statistic"] == "shpilkin_variant"
    rows = {row["region"]: row["result"] for row in block["rows"]}
    assert set(rows) == {"North", "South"}
    assert all(res["variant"]["name"] == "cedar" for res in rows.values())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exclude", "registred>5"], "unknown field 'registred'"),
        (["--variant", "nope"], "unknown variant 'nope'"),
        (["--clean-zone", "fixed", "--clean-cutoff", "60"], "applies to --variant classic only"),
        (["--variant", "classic", "--clean-bin", "40"], "--clean-bin applies to"),
    ],
)
def test_cli_usage_errors_are_one_line(runner, csv_file, args, message):
    path, _ = csv_file
    r = invoke(runner, "forensics", str(path), *args)
    assert r.exit_code == 2
    assert message in r.stderr and "hint" in r.stderr.lower()
    assert r.stderr.count("\n") <= 2


def test_cli_clean_bin_by_hand_says_so(runner, csv_file):
    path, _ = csv_file
    r = invoke(runner, "forensics", str(path), "--json", "--replicates", "20", "--clean-bin", "45")
    assert r.exit_code == 0, r.stderr
    sh = json.loads(r.stdout)["shpilkin"]
    assert sh["clean_bin_pp"] == [45.0, 46.0] and sh["clean_bin_set_by_hand"] is True
    assert "clean bin set by hand to 45-46% turnout" in sh["warnings"]
