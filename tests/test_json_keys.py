"""A duplicated key in a JSON object is an error naming the key and its line (issue 12),
on both readings of the canonical document, in JSON Lines and in NIST JSON feeds."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_canonical_fast import read_both

from conftest import SAMPLES, invoke
from elect.core.errors import FormatError
from elect.core.io import InputSource, canonical, canonical_fast, load
from elect.core.io.json_keys import decoded_keys, first_duplicate, key_marks, more_keys_than

SAMPLE = json.loads((SAMPLES / "stations.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "keys", "found"),
    [
        ('{"a": 1, "b": 2}', 2, None),
        ('{"a": 1, "a": 2}', 1, ("a", 9)),
        ('{"a": {"b": 1, "c": [{"b": 2, "b": 3}]}, "b": 1}', 5, ("b", 30)),
        # the same key in sibling or nested objects is no duplicate
        ('[{"a": 1}, {"a": 2, "b": {"a": 3}}]', 4, None),
        ('{"a" : 1, "b"\n:\t2}', 2, None),  # blanks before the colon
        ('{"a": ":x", "t": "10:30", "u": "http://x"}', 3, None),  # colons inside values
        ('{"k\\"": 1, "k\\\\": 2, "q": "\\":"}', 3, None),  # escaped quotes and backslashes
        ('{"\\u0061": 1, "a": 2}', 1, ("a", 14)),  # the same key, escaped once
        ('{"x": {"y": 1}, "x": 2}', 1, ("x", 16)),  # the nested keys go too
    ],
)
def test_detection_and_location(text, keys, found):
    assert decoded_keys(json.loads(text)) == keys
    assert key_marks(text) >= keys  # an upper bound, never short of a key
    assert key_marks(text.encode()) == key_marks(text)
    if found is not None:  # a repeated key is always seen by the count
        assert more_keys_than(text, keys)
    assert first_duplicate(text) == found


def _load_both(tmp_path, monkeypatch, text: str):
    """The error (or election) of the fast and of the exact reading of TEXT."""
    path = tmp_path / "e.json"
    path.write_text(text, encoding="utf-8")
    out = read_both(path, monkeypatch)
    monkeypatch.undo()
    return out


def _big_doc(stations: int = 6000) -> dict:
    """A document of more than 1 MiB (read by the fast path), one unit a line."""
    doc = json.loads(json.dumps(SAMPLE))
    contest = doc["contests"][0]
    template = next(u for u in contest["units"] if u.get("level", "station") == "station")
    for i in range(stations):
        unit = dict(template, id=f"extra-{i}", name=f"Extra {i}")
        unit["votes"] = dict(template["votes"])
        contest["units"].append(unit)
    return doc


def _text(doc: dict) -> str:
    """Pretty-printed, one key a line: a line number names one key."""
    return json.dumps(doc, indent=1, ensure_ascii=False)


def _inject(text: str, marker: str, extra: str) -> tuple[str, int]:
    """TEXT with EXTRA written after the first MARKER, and the line of EXTRA's key."""
    at = text.index(marker) + len(marker)
    return text[:at] + extra + text[at:], text.count("\n", 0, at) + extra.count("\n") + 1


@pytest.mark.parametrize("size", ["small", "big"])
@pytest.mark.parametrize(
    ("marker", "extra", "key"),
    [
        ('"format_version": 1', ',\n "format_version": 1', "format_version"),
        ('"kind": "presidential"', ', "kind": "local"', "kind"),  # in `election`
        ('"id": "alma_example"', ', "id": "alma_example"', "id"),  # in an option
        ('"id": "extra-4000"', ', "id": "extra-x"', "id"),  # a unit's key (big only)
        ('"alma_example": ', '0, "alma_example": ', "alma_example"),  # inside votes
    ],
)
def test_duplicated_key_refused_on_both_paths(tmp_path, monkeypatch, size, marker, extra, key):
    doc = _big_doc() if size == "big" else json.loads(json.dumps(SAMPLE))
    text = _text(doc)
    if marker not in text:
        pytest.skip("only the big document has this unit")
    if size == "big" and extra.startswith("0, "):  # a unit's votes deep in the document
        marker = '"name": "Extra 5000"'
        at = text.index(marker)
        vote = text.index('"alma_example": ', at) + len('"alma_example": ')
        text = text[:vote] + "0, " + '"alma_example": ' + text[vote:]
        line = text.count("\n", 0, vote) + 1
    else:
        text, line = _inject(text, marker, extra)
    if size == "big":
        assert len(text.encode()) >= canonical._FAST_MIN_BYTES
        monkeypatch.setattr(canonical_fast, "BATCH", 1000)  # the duplicate in a later batch
    fast, exact = _load_both(tmp_path, monkeypatch, text)
    for err in (fast, exact):
        assert isinstance(err, FormatError)
        assert err.message == f'duplicated key "{key}" in an object'
        assert err.line == line
    assert str(fast) == str(exact) and fast.line == exact.line


def test_big_document_without_duplicates_reads_alike(tmp_path, monkeypatch):
    doc = _big_doc()
    # colons inside values and blanks before a colon are no duplicates
    doc["election"]["name"] = ":) 10:30 http://example.org"
    doc["contests"][0]["units"][-1]["name"] = ":first"
    text = _text(doc).replace('"office": ', '"office" : ', 1)
    fast, exact = _load_both(tmp_path, monkeypatch, text)
    assert not isinstance(fast, Exception) and not isinstance(exact, Exception)
    assert fast.name == exact.name == ":) 10:30 http://example.org"
    assert fast.contests[0].votes.sum().tolist() == exact.contests[0].votes.sum().tolist()
    assert len(fast.contests[0].units) == len(SAMPLE["contests"][0]["units"]) + 6000
    # the same bytes from a pipe give the same election
    piped = load(InputSource.from_bytes(text.encode("utf-8"), name=str(tmp_path / "e.json")))
    pd.testing.assert_frame_equal(piped.contests[0].units, fast.contests[0].units)
    pd.testing.assert_frame_equal(piped.contests[0].votes, fast.contests[0].votes)


def test_cli_one_line_exit_2(runner, tmp_path):
    text, line = _inject(_text(SAMPLE), '"kind": "presidential"', ', "kind": "local"')
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    res = invoke(runner, "report", str(path))
    assert res.exit_code == 2
    err = res.stderr.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f'elect: error: {path}:{line}: duplicated key "kind" in an object')
    assert "hint:" in err[0]
    res = invoke(runner, "validate", str(path), "--format", "json")
    assert res.exit_code == 1
    found = json.loads(res.stdout)["files"][0]["findings"]
    assert [(f["code"], f["location"]["line"]) for f in found] == [("unloadable", line)]
    assert 'duplicated key "kind"' in found[0]["message"]


def test_jsonl_header_and_object_rows(tmp_path):
    lines = (SAMPLES / "stations.jsonl").read_text(encoding="utf-8").splitlines()
    header = lines[0].replace('"format_version": 1', '"format_version": 1, "format_version": 1')
    path = tmp_path / "dup.jsonl"
    path.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match='duplicated key "format_version"') as err:
        load(path)
    assert err.value.line == 1
    columns = json.loads(lines[0])["columns"]
    row = dict(zip(columns, json.loads(lines[3]), strict=True))
    obj = json.dumps(row)[:-1] + f', "registered": {row["registered"]}}}'
    path.write_text("\n".join([lines[0], lines[1], lines[2], obj]) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match='duplicated key "registered"') as err:
        load(path)
    assert err.value.line == 4


def test_nist_json_feed(runner, tmp_path):
    from test_nist_read import feed, write

    res = invoke(runner, "convert", write(tmp_path, feed()), "--to", "nist-json")
    assert res.exit_code == 0
    text = res.stdout
    marker = '"@type": "ElectionResults.ElectionReport"'
    text, line = _inject(text, marker, ', "@type": "ElectionResults.ElectionReport"')
    path = tmp_path / "feed.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match='duplicated key "@type"') as err:
        load(path)
    assert err.value.line == line


def test_duplicate_named_before_any_other_fault(tmp_path, monkeypatch):
    doc = _big_doc()
    doc["format_version"] = 2  # refused too, but the duplicated key comes first on both paths
    text = _text(doc)
    marker = '"name": "Extra 5000"'
    text, line = _inject(text, marker, ', "name": "again"')
    fast, exact = _load_both(tmp_path, monkeypatch, text)
    for err in (fast, exact):
        assert isinstance(err, FormatError)
        assert (err.message, err.line) == ('duplicated key "name" in an object', line)
