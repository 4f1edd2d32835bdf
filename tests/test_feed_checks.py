"""elect validate on result feeds: the 'feed' family, and the model checks after it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from test_nist_read import feed, write
from test_watch import _default_sigint, wait_for, write_atomic

from conftest import invoke

DATA = Path(__file__).parent / "data"


def validate(runner, *paths: str) -> dict:
    res = invoke(runner, "validate", *paths, "--json")
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def findings(doc: dict, code: str) -> list[dict]:
    return [f for r in doc["files"] for f in r["findings"] if f["code"] == code]


def test_clean_feed_is_valid(runner, tmp_path):
    doc = validate(runner, write(tmp_path, feed()))
    [res] = doc["files"]
    assert res["status"] == "valid", res
    assert res["format"] == "nist-xml"


def test_dangling_reference(runner, tmp_path):
    doc = validate(runner, write(tmp_path, feed(candidate_ref="can-nobody")))
    [f] = findings(doc, "feed-dangling-reference")
    assert f["severity"] == "error"
    assert f["values"]["ref"] == "can-nobody" and f["values"]["target"] == "Candidate"
    assert f["location"]["line"] == 15
    assert "names no Candidate" in f["message"]


def test_gpunit_cycle(runner, tmp_path):
    loop = (
        '<GpUnit xsi:type="ReportingUnit" ObjectId="gpu-x"><ComposingGpUnitIds>gpu-y'
        "</ComposingGpUnitIds><Type>other</Type></GpUnit>"
        '<GpUnit xsi:type="ReportingUnit" ObjectId="gpu-y"><ComposingGpUnitIds>gpu-x'
        "</ComposingGpUnitIds><Type>other</Type></GpUnit>"
    )
    path = write(tmp_path, feed(extra_gpunit=loop))
    doc = validate(runner, path)
    [f] = findings(doc, "feed-gpunit-cycle")
    assert f["values"]["cycle"] == "gpu-x → gpu-y → gpu-x"
    # The report still reads the file: the cycle is cut.
    assert invoke(runner, "report", path, "--json").exit_code == 0


def test_counts_by_type_not_adding_to_the_total(runner, tmp_path):
    doc = validate(runner, write(tmp_path, feed(total_b=400)))  # 300 + 120 = 420
    [f] = findings(doc, "feed-count-types-mismatch")
    assert (f["values"]["parts"], f["values"]["total"], f["values"]["gap"]) == (420, 400, 20)
    assert f["location"]["unit"] == "County B" and f["values"]["option"] == "Ann Lee"
    # Reported once, with its line: the model's own vote-breakdown check is spared it.
    assert findings(doc, "vote-breakdown-mismatch") == []
    rep = json.loads(invoke(runner, "report", write(tmp_path, feed(total_b=400)), "--json").stdout)
    assert rep["shares"][0]["votes"] == 1000  # the total is used: 600 + 400


def test_absentee_with_its_parts_is_not_counted_twice(runner, tmp_path):
    parts = (
        "<VoteCounts><GpUnitId>gpu-b</GpUnitId><Type>absentee-mail</Type><Count>100</Count>"
        "</VoteCounts><VoteCounts><GpUnitId>gpu-b</GpUnitId><Type>absentee-in-person</Type>"
        "<Count>20</Count></VoteCounts>"
    )
    text = feed(total_b=420).replace("<CandidateIds>can-ann", parts + "<CandidateIds>can-ann")
    doc = validate(runner, write(tmp_path, text))
    assert findings(doc, "feed-count-types-mismatch") == []
    assert findings(doc, "vote-breakdown-mismatch") == []


def test_duplicate_object_id(runner, tmp_path):
    text = feed().replace('ObjectId="can-bob"', 'ObjectId="can-ann"')
    doc = validate(runner, write(tmp_path, text))
    [f] = findings(doc, "feed-duplicate-id")
    assert f["values"]["ref"] == "can-ann"


def test_precincts_reporting_above_total(runner, tmp_path):
    text = feed().replace("<SubUnitsReported>2<", "<SubUnitsReported>5<")
    doc = validate(runner, write(tmp_path, text))
    [f] = findings(doc, "feed-reporting-exceeds-total")
    assert f["severity"] == "warning"
    assert "5 precincts reporting of 3" in f["message"]


def test_malformed_feed_and_unknown_xml(runner, tmp_path):
    bad = write(tmp_path, feed()[:500], "cut.xml")
    other = write(tmp_path, "<html><body/></html>", "page.xml")
    doc = validate(runner, bad, other)
    by_file = {Path(r["file"]).name: r for r in doc["files"]}
    assert by_file["cut.xml"]["status"] == "invalid"
    assert [f["code"] for f in by_file["cut.xml"]["findings"]][0] == "malformed-file"
    assert by_file["page.xml"]["findings"][0]["code"] == "unknown-format"


def test_unloadable_json_feed_is_placed_by_its_path_not_a_line(runner, tmp_path):
    # A NIST JSON feed has no lines: the error's JSON path is the finding's path, and
    # location.line stays null (it was once the path, a string where a number belongs).
    contest = {"@type": "ElectionResults.CandidateContest", "ContestSelection": []}
    doc = {
        "@type": "ElectionResults.ElectionReport",
        "Election": [{"@type": "ElectionResults.Election", "Contest": [contest]}],
    }
    f = write(tmp_path, json.dumps(doc), "no-id.json")
    [res] = validate(runner, f)["files"]
    [x] = [x for x in res["findings"] if x["code"] == "unloadable"]
    assert x["location"]["line"] is None
    assert x["location"]["path"] == "$.Election[0].Contest[0]"
    assert x["message"].startswith(f"{f}:$.Election[0].Contest[0]: <Contest> has no ObjectId")


def test_sample_feeds_validate(runner):
    doc = validate(runner, str(DATA / "nist"), str(DATA / "clarity"))
    status = {Path(r["file"]).name: r["status"] for r in doc["files"]}
    # The JSON Schema beside the feeds is no feed; the clarify county fixture is cut down.
    assert status.pop("NIST_V2_election_results_reporting.json") == "invalid"
    assert status.pop("clarify_county.xml") == "invalid"
    assert set(status.values()) == {"valid"}
    assert len(findings(doc, "feed-count-outside-district")) == 4
    [mismatch] = findings(doc, "feed-count-types-mismatch")
    assert (mismatch["values"]["parts"], mismatch["values"]["total"]) == (462123, 477734)


def _clarity(reported: int, bevin: int) -> str:
    return f"""<?xml version="1.0"?>
<ElectionResult>
  <ElectionName>Night test</ElectionName><ElectionDate>5/20/2014</ElectionDate><Region>Greenup</Region>
  <Contest key="4" text="US Senator" voteFor="1" isQuestion="false" precinctsReporting="2" precinctsReported="{reported}">
    <Choice key="1" text="Matt BEVIN" totalVotes="{bevin}">
      <VoteType name="Election" votes="{bevin}"><Precinct name="A1" votes="{bevin}" /></VoteType>
    </Choice>
    <Choice key="2" text="Mitch McCONNELL" totalVotes="50">
      <VoteType name="Election" votes="50"><Precinct name="A1" votes="50" /></VoteType>
    </Choice>
  </Contest>
</ElectionResult>
"""


def test_watch_follows_a_replaced_detail_xml(tmp_path):
    results = tmp_path / "detail.xml"
    write_atomic(results, _clarity(1, 40))
    out = tmp_path / "out.txt"
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    with open(out, "w") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "elect",
                "report",
                str(results),
                "--watch",
                "--interval",
                "0.05",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_default_sigint,
        )
        try:
            assert wait_for(out, "Precincts reporting: 1 of 2"), out.read_text()
            write_atomic(results, _clarity(2, 90))
            assert wait_for(out, "Precincts reporting: 2 of 2"), out.read_text()
            assert wait_for(out, "+50 votes"), out.read_text()
        finally:
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=30)
    text = out.read_text()
    assert code == 130
    assert "Matt BEVIN" in text and "Traceback" not in text


def test_forensics_on_a_feed_without_registered_voters_is_a_clear_error(runner):
    res = invoke(runner, "forensics", str(DATA / "clarity" / "clarify_precinct.xml"))
    assert res.exit_code == 2
    assert "need registered voters per station" in res.output


def test_inspect_names_the_feed_format(runner):
    res = invoke(runner, "inspect", str(DATA / "clarity" / "ga-2021-01-05-detailxml.zip"), "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert (doc["format"], doc["compression"]) == ("clarity", "zip")


FEED_SEEDS = [
    p.read_bytes()
    for p in sorted((Path(__file__).parent.parent / "fixtures" / "invalid").glob("*.xml"))
] + [(DATA / "clarity" / "clarify_precinct.xml").read_bytes()[:6000]]
FEED_INSERTS = [b"<", b">", b"&", b'"', b"-1", b"1.5", b"<!DOCTYPE x>", b"\x00", b"</Contest>"]


def test_mutated_feeds_never_crash():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from elect.core.errors import ElectError
    from elect.core.io import InputSource, load

    @st.composite
    def mutated(draw) -> bytes:
        data = bytearray(draw(st.sampled_from(FEED_SEEDS)))
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            if draw(st.booleans()):
                data[at:at] = draw(st.sampled_from(FEED_INSERTS))
            else:
                del data[at : at + draw(st.integers(1, 40))]
        return bytes(data)

    @settings(
        max_examples=80,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated())
    def check(data: bytes) -> None:
        try:
            election = load(InputSource.from_bytes(data, "fuzz.xml"))
        except ElectError as exc:
            assert exc.file == "fuzz.xml", exc
        else:
            assert election.input_format in ("nist-xml", "clarity")
        from elect.core.checks import validate_paths

        report = validate_paths(["-"], stdin=data)
        assert report.files[0].status in ("valid", "invalid", "unreadable")
        assert all(
            f.code != "unloadable" or "bug in elect" not in f.message
            for f in report.files[0].findings
        )

    check()
