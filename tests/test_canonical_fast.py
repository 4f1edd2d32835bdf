"""The fast reading of the canonical document (msgspec) gives what the exact path gives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from elect.core.errors import FormatError
from elect.core.io import canonical, canonical_fast, canonical_stream, load


def _doc(n: int = 300) -> dict:
    units = [
        {"id": "nation", "name": "Nation", "level": "nation"},
        {"id": "r1", "name": "North", "level": "region", "parent": "nation"},
        {"id": "r2", "level": "region", "parent": "nation", "abroad": True},
        {"id": "d1", "name": "", "level": "district", "parent": "r1"},
    ]
    for i in range(n):
        units.append(
            {
                "id": i if i % 7 == 0 else f"s{i}",
                "level": "station",
                "parent": "d1" if i % 3 else "r2",
                "registered": 1000 + i,
                "ballots_cast": None if i % 11 == 0 else 500 + i,
                "invalid": i % 5,
                "mission": "Consulate" if i % 3 == 0 else None,
                "code": f"C{i}",
                "note": "ok",
                "votes": {"a": i, "b": 2 * i} if i % 13 else {"a": None},
            }
        )
    return {
        "format": "elect-election",
        "format_version": 1,
        "election": {"name": "Fast", "status": "final", "sources": [{"id": "S1"}]},
        "contests": [
            {
                "id": "main",
                "office": "President",
                "rules": {"majority": "absolute", "threshold_pct": 50.0, "runoff_size": 2},
                "options": [{"id": "a", "name": "A"}, {"id": "b", "kind": "candidate"}],
                "units": units,
            },
            {"office": "Second", "options": [{"id": "x"}], "units": [{"id": "only"}]},
        ],
    }


def _both(tmp_path, monkeypatch, doc_or_text):
    monkeypatch.setattr(canonical, "_FAST_MIN_BYTES", 0)  # these documents are small
    p = tmp_path / "e.json"
    text = doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text)
    p.write_text(text, encoding="utf-8")
    return read_both(p, monkeypatch)


def read_both(path, monkeypatch) -> list:
    """The election (or the error) of PATH by the fast reading, then by the exact one."""
    out = []
    for fast in (True, False):
        with monkeypatch.context() as m:
            if not fast:  # neither the whole reading's nor the one-pass one's
                m.setattr(canonical_fast, "parse", lambda *args: None)
                m.setattr(canonical_stream, "stream_document", lambda *args: None)
            try:
                out.append(load(path))
            except FormatError as exc:
                out.append(exc)
    return out


def _same(a, b) -> None:
    assert type(a) is type(b)
    if isinstance(a, FormatError):
        assert str(a) == str(b)
        return
    assert (a.name, a.status, a.sources, a.role) == (b.name, b.status, b.sources, b.role)
    assert [n.message for n in a.notes] == [n.message for n in b.notes]
    for ca, cb in zip(a.contests, b.contests, strict=True):
        pd.testing.assert_frame_equal(ca.units, cb.units)
        pd.testing.assert_frame_equal(ca.votes, cb.votes)
        assert (ca.id, ca.office, ca.options, ca.rules) == (cb.id, cb.office, cb.options, cb.rules)


def record_calls(monkeypatch, module, name: str) -> list[tuple[tuple, object]]:
    """The calls of MODULE.NAME from now on, each (arguments, result)."""
    calls: list[tuple[tuple, object]] = []
    real = getattr(module, name)

    def spy(*args):
        out = real(*args)
        calls.append((args, out))
        return out

    monkeypatch.setattr(module, name, spy)
    return calls


def test_fast_path_equals_exact_path(tmp_path, monkeypatch):
    taken = record_calls(monkeypatch, canonical_fast, "unit_columns")
    fast, exact = _both(tmp_path, monkeypatch, _doc())
    assert len(taken) == 2  # both contests were read by the fast path
    _same(fast, exact)
    assert fast.contests[0].units["region"].iloc[10] in ("r1", "r2")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["contests"][0]["units"][5].__setitem__("registered", "1 000"),  # text
        lambda d: d["contests"][0]["units"][5].__setitem__("registered", 2**53 + 1),
        lambda d: d["contests"][0]["units"][5].__setitem__("registered", 1.5),
        lambda d: d["contests"][0]["units"][5].__setitem__("registered", -1),
        lambda d: d["contests"][0]["units"][5].__setitem__("id", "s6"),  # duplicate id
        lambda d: d["contests"][0]["units"][5]["votes"].__setitem__("zz", 1),
        lambda d: d["contests"][0]["units"][5].__setitem__("parent", "nowhere"),
        lambda d: d["contests"][0]["units"][5].__setitem__("level", "planet"),
        lambda d: d["contests"][0]["units"][5].__setitem__("level", ["station"]),
        lambda d: d["contests"][0]["units"][5].__setitem__("level", {"a": 1}),
        lambda d: d["contests"][0]["units"][5].__setitem__("abroad", "yes"),
        lambda d: d["contests"][0]["units"][5].__setitem__("mission", [1]),
        lambda d: d["contests"][0]["units"][5].__setitem__("votes", [1, 2]),
        lambda d: d["contests"][0]["units"][5]["votes"].__setitem__("a", True),
        lambda d: d["contests"][0]["units"][5].pop("id"),
        lambda d: d["contests"][0]["units"][5].__setitem__("name", None),
        lambda d: d["contests"][0]["units"][5].__setitem__("reported", {"turnout_pct": 5.5}),
        lambda d: d["contests"][0]["units"][5].__setitem__("sources", {"registered": ["S1"]}),
        lambda d: d["contests"][0]["units"][1].__setitem__("parent", "s10"),  # a loop
        lambda d: d["contests"][0].__setitem__("units", []),
        # keys the schema does not name: read by the exact path, which keeps them apart
        lambda d: d["contests"][0]["units"][5].__setitem__("unknown_key", {"any": [1, 2]}),
        lambda d: d["contests"][0].__setitem__("reported", {"winner": "a"}),
        lambda d: d.__setitem__("notes", ["x"]),
    ],
)
def test_fast_path_falls_back_or_fails_alike(tmp_path, monkeypatch, change):
    doc = _doc(40)
    change(doc)
    fast, exact = _both(tmp_path, monkeypatch, doc)
    _same(fast, exact)


def test_hostile_text_refused_alike(tmp_path, monkeypatch):
    for text in (
        '{"contests": [{"options": [{"id": "a"}], "units": [{"id": "u", "registered": '
        + "9" * 5000
        + "}]}]}",
        '{"contests": [{"options": [{"id": "a"}], "units": [{"id": "u", "x": '
        + "[" * 50_000
        + "]" * 50_000
        + "}]}]}",
    ):
        fast, exact = _both(tmp_path, monkeypatch, text)
        assert isinstance(fast, FormatError) and isinstance(exact, FormatError)
        assert str(fast) == str(exact)
