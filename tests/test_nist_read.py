"""Reading NIST ERR v2 (namespaced XML and JSON): units, counts by type, rules, faults."""

from __future__ import annotations

import json

import pytest

from conftest import invoke

NS = "http://itl.nist.gov/ns/voting/1500-100/v2"


def feed(
    *,
    variation="plurality",
    county_b_parts=("election-day", 300, "absentee", 120),
    total_b=None,
    extra_gpunit="",
    candidate_ref="can-ann",
    doctype="",
) -> str:
    """A small v2 feed: a state of two counties; votes by type in the counties."""
    b1, v1, b2, v2 = county_b_parts
    total = (
        f"<VoteCounts><GpUnitId>gpu-b</GpUnitId><Type>total</Type><Count>{total_b}</Count></VoteCounts>"
        if total_b is not None
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>{doctype}
<ElectionReport xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Election>
    <BallotCounts><GpUnitId>gpu-a</GpUnitId><Type>total</Type><BallotsCast>1000</BallotsCast></BallotCounts>
    <BallotCounts><GpUnitId>gpu-b</GpUnitId><Type>election-day</Type><BallotsCast>500</BallotsCast></BallotCounts>
    <BallotCounts><GpUnitId>gpu-b</GpUnitId><Type>absentee</Type><BallotsCast>210</BallotsCast></BallotCounts>
    <Candidate ObjectId="can-ann"><BallotName><Text Language="en">Ann Lee</Text></BallotName><PartyId>par-x</PartyId></Candidate>
    <Candidate ObjectId="can-bob"><BallotName><Text Language="en">Bob Roe</Text></BallotName></Candidate>
    <Contest xsi:type="CandidateContest" ObjectId="con-gov">
      <ContestSelection xsi:type="CandidateSelection" ObjectId="sel-ann">
        <VoteCounts><GpUnitId>gpu-a</GpUnitId><Type>total</Type><Count>600</Count></VoteCounts>
        <VoteCounts><GpUnitId>gpu-b</GpUnitId><Type>{b1}</Type><Count>{v1}</Count></VoteCounts>
        <VoteCounts><GpUnitId>gpu-b</GpUnitId><Type>{b2}</Type><Count>{v2}</Count></VoteCounts>
        {total}
        <CandidateIds>{candidate_ref}</CandidateIds>
      </ContestSelection>
      <ContestSelection xsi:type="CandidateSelection" ObjectId="sel-bob">
        <VoteCounts><GpUnitId>gpu-a</GpUnitId><Type>total</Type><Count>390</Count></VoteCounts>
        <VoteCounts><GpUnitId>gpu-b</GpUnitId><Type>total</Type><Count>280</Count></VoteCounts>
        <CandidateIds>can-bob</CandidateIds>
      </ContestSelection>
      <ElectionDistrictId>gpu-state</ElectionDistrictId>
      <Name>Governor</Name>
      <OtherCounts><GpUnitId>gpu-a</GpUnitId><Overvotes>4</Overvotes><Undervotes>6</Undervotes></OtherCounts>
      <OtherCounts><GpUnitId>gpu-b</GpUnitId><Overvotes>1</Overvotes><Undervotes>2</Undervotes></OtherCounts>
      <SubUnitsReported>2</SubUnitsReported>
      <TotalSubUnits>3</TotalSubUnits>
      <VoteVariation>{variation}</VoteVariation>
      <VotesAllowed>1</VotesAllowed>
    </Contest>
    <ElectionScopeId>gpu-state</ElectionScopeId>
    <Name><Text Language="en">Test General</Text></Name>
    <StartDate>2024-11-05</StartDate>
    <EndDate>2024-11-05</EndDate>
    <Type>general</Type>
  </Election>
  <Format>summary-contest</Format>
  <GeneratedDate>2024-11-06T01:00:00Z</GeneratedDate>
  <GpUnit xsi:type="ReportingUnit" ObjectId="gpu-state">
    <ComposingGpUnitIds>gpu-a gpu-b</ComposingGpUnitIds>
    <Name><Text Language="en">State</Text></Name><Type>state</Type>
  </GpUnit>
  <GpUnit xsi:type="ReportingUnit" ObjectId="gpu-a">
    <Name><Text Language="en">County A</Text></Name><Type>county</Type><VotersRegistered>2000</VotersRegistered>
  </GpUnit>
  <GpUnit xsi:type="ReportingUnit" ObjectId="gpu-b">
    <Name><Text Language="en">County B</Text></Name><Type>county</Type><VotersRegistered>1500</VotersRegistered>
  </GpUnit>
  {extra_gpunit}
  <Issuer>Test</Issuer><IssuerAbbreviation>T</IssuerAbbreviation>
  <Party ObjectId="par-x"><Name><Text Language="en">Party X</Text></Name></Party>
  <SequenceStart>1</SequenceStart><SequenceEnd>1</SequenceEnd>
  <Status>unofficial-partial</Status>
  <VendorApplicationId>test</VendorApplicationId>
</ElectionReport>
"""


def write(tmp_path, text: str, name="feed.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def report(runner, path, *extra):
    res = invoke(runner, "report", path, "--json", *extra)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_v2_feed_read_with_units_types_and_ballots(runner, tmp_path):
    doc = report(runner, write(tmp_path, feed()))
    assert doc["election"]["input_format"] == "nist-xml"
    assert doc["election"]["status"] == "preliminary"  # unofficial-partial
    votes = {r["name"]: r["votes"] for r in doc["shares"]}
    # County B gives Ann's votes only by type: its total is their sum (300 + 120).
    assert votes == {"Ann Lee": 1020, "Bob Roe": 670, "Overvotes": 5, "Undervotes": 8}
    assert {r["name"]: r["party"] for r in doc["shares"]}["Ann Lee"] == "Party X"
    s = doc["summary"]
    assert s["registered"] == 3500
    assert s["ballots_cast"] == 1710  # county B: election day 500 + absentee 210
    assert s["units"] == 2
    assert s["reporting"] == {"reported": 2, "total": 3, "unit": "precincts", "pct": 66.67}
    assert doc["outcome"]["rule"] == "plurality"
    assert doc["outcome"]["decision"] == "plurality"
    assert doc["contest"]["office"] == "Governor"


def test_vote_variation_majority_sets_an_absolute_rule(runner, tmp_path):
    doc = report(runner, write(tmp_path, feed(variation="majority")))
    assert doc["outcome"]["rule"] == "absolute"
    assert doc["outcome"]["decision"] == "elected"  # 1020 of 1690: more than half


def test_nist_json_form_reads_the_same(runner, tmp_path):
    xml_doc = report(runner, write(tmp_path, feed()))
    res = invoke(runner, "convert", write(tmp_path, feed()), "--to", "nist-json")
    assert res.exit_code == 0, res.output
    json_doc = report(runner, write(tmp_path, res.stdout, "feed.json"))
    assert json_doc["election"]["input_format"] == "nist-json"
    assert [r["votes"] for r in json_doc["shares"]] == [r["votes"] for r in xml_doc["shares"]]
    assert json_doc["summary"]["ballots_cast"] == xml_doc["summary"]["ballots_cast"]


def test_doctype_and_entities_are_refused(runner, tmp_path):
    evil = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    res = invoke(runner, "report", write(tmp_path, feed(doctype=evil)))
    assert res.exit_code == 2
    assert "refuses them for safety" in res.output
    assert "Traceback" not in res.output


def test_truncated_xml_is_one_line_exit_2(runner, tmp_path):
    text = feed()
    res = invoke(runner, "report", write(tmp_path, text[: len(text) // 2]))
    assert res.exit_code == 2
    assert "malformed XML" in res.output and "feed.xml:" in res.output
    assert "hint:" in res.output


def test_unknown_xml_root(runner, tmp_path):
    res = invoke(runner, "report", write(tmp_path, "<?xml version='1.0'?><rss></rss>"))
    assert res.exit_code == 2
    assert "neither a NIST ERR feed nor a Clarity detail.xml" in res.output


def test_fractional_count_is_a_clear_error(runner, tmp_path):
    res = invoke(
        runner, "report", write(tmp_path, feed(county_b_parts=("election-day", 2.5, "absentee", 1)))
    )
    assert res.exit_code == 2
    assert "not a whole, non-negative count: '2.5'" in res.output


@pytest.mark.parametrize("forced", ["nist-xml", "auto"])
def test_input_format_flag(runner, tmp_path, forced):
    doc = report(runner, write(tmp_path, feed()), "-I", forced)
    assert doc["shares"][0]["votes"] == 1020


def test_a_contest_for_several_seats_says_so(runner, tmp_path):
    text = feed().replace("<VotesAllowed>1<", "<NumberElected>3</NumberElected><VotesAllowed>3<")
    doc = report(runner, write(tmp_path, text))
    [note] = [n for n in doc["notes"] if n["code"] == "seats"]
    assert "elects 3" in note["message"]
    assert note["file"].endswith("feed.xml")
    assert doc["outcome"]["rule"] == "plurality"


V1_FEED = """<?xml version="1.0"?>
<ElectionReport xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Election>
    <CandidateCollection>
      <Candidate objectId="c1"><BallotName><Text language="en">Ann Lee</Text></BallotName></Candidate>
      <Candidate objectId="c2"><BallotName><Text language="en">Bob Roe</Text></BallotName></Candidate>
    </CandidateCollection>
    <ContestCollection>
      <Contest objectId="cc1" xsi:type="CandidateContest">
        <BallotSelection objectId="s1" xsi:type="CandidateSelection">
          <VoteCountsCollection>
            <VoteCounts><GpUnitId>ru1</GpUnitId><Type>total</Type><Count>50</Count><Round>1</Round></VoteCounts>
            <VoteCounts><GpUnitId>ru1</GpUnitId><Type>total</Type><Count>61</Count><Round>2</Round></VoteCounts>
          </VoteCountsCollection>
          <CandidateIds>c1</CandidateIds>
        </BallotSelection>
        <BallotSelection objectId="s2" xsi:type="CandidateSelection">
          <VoteCountsCollection>
            <VoteCounts><GpUnitId>ru1</GpUnitId><Type>total</Type><Count>45</Count><Round>1</Round></VoteCounts>
            <VoteCounts><GpUnitId>ru1</GpUnitId><Type>total</Type><Count>49</Count><Round>2</Round></VoteCounts>
          </VoteCountsCollection>
          <CandidateIds>c2</CandidateIds>
        </BallotSelection>
        <ElectoralDistrictId>ru1</ElectoralDistrictId>
        <Name>Mayor</Name>
        <SummaryCounts>
          <GpUnitId>ru1</GpUnitId><Type>total</Type>
          <BallotsCast>120</BallotsCast><Overvotes>3</Overvotes><Undervotes>7</Undervotes>
        </SummaryCounts>
        <VoteVariation>rcv</VoteVariation>
      </Contest>
    </ContestCollection>
    <Name><Text language="en">City</Text></Name>
    <StartDate>2021-06-01</StartDate>
  </Election>
  <GpUnitCollection>
    <GpUnit objectId="ru1" xsi:type="ReportingUnit"><Name>Springfield</Name><Type>city</Type></GpUnit>
  </GpUnitCollection>
</ElectionReport>
"""


def test_v1_style_feed_with_summary_counts_and_rounds(runner, tmp_path):
    doc = report(runner, write(tmp_path, V1_FEED))
    votes = {r["name"]: r["votes"] for r in doc["shares"]}
    # The last round's counts; over/undervotes and ballots cast from SummaryCounts.
    assert votes == {"Ann Lee": 61, "Bob Roe": 49, "Overvotes": 3, "Undervotes": 7}
    assert doc["summary"]["ballots_cast"] == 120
    assert doc["outcome"]["rule"] == "plurality"
    assert any(n["code"] == "rounds" for n in doc["notes"])


def test_feed_on_standard_input(runner):
    data = V1_FEED.encode()
    res = invoke(runner, "report", "-", "--json", input=data)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["shares"][0]["votes"] == 61
