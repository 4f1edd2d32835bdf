"""elect contests in one grouped pass (issue 14): the same figures as every contest built.

A long file's contests are summarised from one grouping of its rows; their frames are
built only when read. On every real long file of tests/real/, each contest's summary
line equals the one computed from the contest's built frames, and listing the contests
builds none of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tomllib

from elect.core import contest_rows
from elect.core.io import load, mapping_for
from elect.core.tally import nation_totals

REAL = Path(__file__).resolve().parent / "real"
MANIFEST = tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))["file"]
# Files that need the mapping beside them to be read at all.
MAPS = {"openelections-nh-2016-town.csv.gz": REAL / "maps" / "openelections-nh-2016.toml"}
LONG = sorted(Path(f["path"]).name for f in MANIFEST if f.get("format") == "long")


def _load(name: str):
    mapping = mapping_for(MAPS[name]) if name in MAPS else None
    return load(REAL / "data" / name, format=mapping or "auto")


def test_the_long_files_are_there():
    assert len(LONG) >= 10


@pytest.mark.parametrize("name", LONG)
def test_grouped_summaries_equal_the_built_contests(name):
    election = _load(name)
    if election.input_format.split(" ")[0].split("+")[0] != "long-csv":
        pytest.skip("read as a wide file")
    assert all(not c.built for c in election.contests)
    grouped = [r.to_dict() for r in contest_rows(election)]
    # Listing the contests built none of them.
    assert all(not c.built for c in election.contests)
    for c in election.contests:
        leaves, votes = c.summary
        totals, _ = nation_totals(c)  # builds the frames
        assert c.built
        assert totals.leaves == leaves
        assert {k: f.value for k, f in totals.votes.items()} == votes
        c.summary = None  # from here on, the rows come from the frames
    built = [r.to_dict() for r in contest_rows(election)]
    assert grouped == built
    assert len(grouped) == len(election.contests) > 0


def test_a_replaced_frame_drops_the_summary():
    election = _load("openelections-ga-2016-county.csv.gz")
    contest = election.contests[0]
    assert contest.summary is not None
    keep = [True] + [False] * (len(contest.units) - 1)
    contest.keep_units(np.array(keep))
    assert contest.summary is None
    (row,) = contest_rows(election)[:1]
    assert row.units == 1
