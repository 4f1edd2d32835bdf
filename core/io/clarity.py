"""Clarity / Scytl Election Night Reporting ``detail.xml`` (plain or zipped) into a :class:`Feed`.

A state file lists counties (``ElectionVoterTurnout/Counties``), a county file
precincts (``VoterTurnout/Precincts``). Each ``Contest`` has ``Choice`` elements
with votes by ``VoteType`` (election day, absentee, early…) per county or
precinct, contest-level vote types (undervotes, overvotes), and the
"precincts reporting" figures. A unit's total is the sum of its vote types; the
choice's ``totalVotes`` is the published total of the whole file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import FormatError
from ..model import CANDIDATE, Note
from .feed import Count, Feed, FeedContest, Selection, Unit
from .options import option_kind
from .source import InputSource
from .xmltree import run_parser, safe_parser

if TYPE_CHECKING:
    from xml.parsers.expat import XMLParserType

_TYPES = (
    (re.compile(r"election\s*day|^election$|polls?$", re.I), "election-day"),
    (re.compile(r"advance|early|one\s*stop", re.I), "early"),
    (re.compile(r"mail", re.I), "absentee-mail"),
    (re.compile(r"absentee", re.I), "absentee"),
    (re.compile(r"provisional", re.I), "provisional"),
)


def vote_type(name: str) -> str:
    """A Clarity vote type's name as a NIST count type (``Election Day Votes`` → election-day)."""
    for pattern, kind in _TYPES:
        if pattern.search(name):
            return kind
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace(" votes", "")).strip("-")
    return slug or "other"


def load_clarity(src: InputSource, *, encoding: str | None = None):
    from .feed import to_election

    feed = read_clarity(src)
    election = to_election(feed)
    election.file = src.name
    election.notes = list(src.notes) + election.notes
    return election


def read_clarity(src: InputSource) -> Feed:
    return feed_from_clarity(src.read_all(), src.name)


def _count(raw: str | None, attr: str, tag: str, line: int, file: str) -> int | None:
    if raw is None:
        return None
    if raw.isdigit():  # nearly every count
        return int(raw)
    text = raw.strip().replace(",", "")
    if text == "":
        return None
    if not text.isdigit():
        raise FormatError(
            f"{attr}={raw!r} on <{tag}> is not a whole, non-negative count",
            file=file,
            line=line,
            hint="counts must be whole numbers",
        )
    return int(text)


def _date(text: str | None) -> str | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text or "")
    return f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}" if m else (text or None)


_TOP = "\x00top"  # the file's own unit, named once its <Region> is known
_SUBS = ("County", "Precinct")


class _Reader:
    """Streams the document (no tree: a county file by precinct has millions of votes)."""

    def __init__(self, file: str, parser: XMLParserType) -> None:
        self.file = file
        self.parser = parser  # read for the line of each element
        self.feed = Feed(format="clarity", name=file, file=file)
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.capture: list[str] | None = None
        self.turnout: dict[str, str] | None = None
        self.sub_tag = "County"
        self.saw_precinct = False
        self.contest: FeedContest | None = None
        self.sel: Selection | None = None
        self.ctype = "total"
        self.unknown_registered = 0
        self.line = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        parent = stack[-1] if stack else ""
        stack.append(tag)
        line = self.parser.CurrentLineNumber
        if parent == "VoteType" and tag in _SUBS:  # one unit's votes: the hot path
            name = attrs.get("name", "").strip()
            if not name:
                raise FormatError(f"<{tag}> without a name", file=self.file, line=line)
            if name not in self.feed.units:
                self._unit(name, tag, line)
            raw = attrs.get("votes")
            n = (
                int(raw)
                if raw is not None and raw.isdigit()
                else _count(raw, "votes", tag, line, self.file)
            )
            if n is not None and self.sel is not None:
                self.sel.counts.append(Count(name, self.ctype, n, line))
            return
        if parent == "ElectionResult":
            if tag in ("ElectionName", "ElectionDate", "Region"):
                self.capture = self.text.setdefault(tag, [])
            elif tag in ("ElectionVoterTurnout", "VoterTurnout"):
                self.turnout = attrs
            elif tag == "Contest":
                self._contest(attrs, line)
        elif parent in ("Counties", "Precincts") and self.turnout is not None and tag in _SUBS:
            unit = self._unit(attrs.get("name", "").strip(), tag, line)
            unit.registered = _count(attrs.get("totalVoters"), "totalVoters", tag, line, self.file)
            unit.ballots_cast = _count(
                attrs.get("ballotsCast"), "ballotsCast", tag, line, self.file
            )
            if unit.registered == 0 and unit.ballots_cast:
                unit.registered = None
                self.unknown_registered += 1
        elif parent == "Contest" and self.contest is not None:
            if tag == "VoteType":  # contest level: undervotes, overvotes
                label = attrs.get("name", "").strip() or "Other"
                kind = option_kind(label)
                self._selection(
                    self.contest,
                    f"{self.contest.id}-{vote_type(label)}",
                    label,
                    None,
                    kind if kind != CANDIDATE else "other",
                    line,
                )
                self.ctype = "total"
                self._top_count(attrs, tag, line)
            elif tag == "Choice":
                label = attrs.get("text", "").strip() or attrs.get("key", "?")
                key = attrs.get("key", str(len(self.contest.selections)))
                party = attrs.get("party", "").strip() or None
                sel = self._selection(
                    self.contest, f"{self.contest.id}-{key}", label, party, option_kind(label), line
                )
                total = _count(attrs.get("totalVotes"), "totalVotes", tag, line, self.file)
                if total is not None:
                    sel.counts.append(Count(_TOP, "total", total, line))
        elif parent == "Choice" and tag == "VoteType":
            self.ctype = vote_type(attrs.get("name", "other"))
            self._top_count(attrs, tag, line)

    def end(self, tag: str) -> None:
        self.stack.pop()
        self.capture = None
        if tag == "Contest":
            self.contest = self.sel = None

    def chars(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)

    def _unit(self, name: str, tag: str, line: int) -> Unit:
        if not name:
            raise FormatError(f"<{tag}> without a name", file=self.file, line=line)
        unit = self.feed.units.get(name)
        if unit is None:
            unit = self.feed.units[name] = Unit(name, name, tag.lower(), where=line)
            if tag == "Precinct":
                self.saw_precinct = True
        return unit

    def _selection(
        self, contest: FeedContest, sid: str, label: str, party, kind: str, line: int
    ) -> Selection:
        """A new selection of ``contest``, which the counts that follow belong to."""
        self.sel = Selection(sid, label, party, kind, where=line)
        contest.selections.append(self.sel)
        return self.sel

    def _top_count(self, attrs: dict[str, str], tag: str, line: int) -> None:
        v = _count(attrs.get("votes"), "votes", tag, line, self.file)
        if v is not None and self.sel is not None:
            self.sel.counts.append(Count(_TOP, self.ctype, v, line))

    def _contest(self, a: dict[str, str], line: int) -> None:
        f, tag = self.file, "Contest"
        key = a.get("key", "").strip() or str(len(self.feed.contests) + 1)

        def num(attr: str) -> int | None:
            return _count(a.get(attr), attr, tag, line, f)

        reported, total, unit = num("precinctsReported"), num("precinctsParticipating"), "precincts"
        if total is None:
            total = num("precinctsReporting")
        if reported is None and total is None:
            reported, total, unit = (
                num("countiesReported"),
                num("countiesParticipating"),
                "counties",
            )
        question = a.get("isQuestion", "").strip().lower() == "true"
        self.contest = FeedContest(
            key,
            a.get("text", "").strip() or key,
            "ballot-measure" if question else "candidate",
            _TOP,
            None,  # no decision rule in the feed: plurality, the US convention
            num("voteFor"),
            reported,
            total,
            unit,
            where=line,
        )
        self.feed.contests.append(self.contest)

    def finish(self) -> Feed:
        feed = self.feed
        text = {k: "".join(v).strip() for k, v in self.text.items()}
        feed.name = text.get("ElectionName") or self.file
        feed.date = _date(text.get("ElectionDate"))
        region = text.get("Region") or "All"
        while region in feed.units:  # a precinct named like the file's region
            region += " (all)"
        subs = list(feed.units)
        top = Unit(region, region, "county" if self.saw_precinct else "state", children=subs)
        if self.turnout is not None:
            t = self.turnout
            top.registered = _count(
                t.get("totalVoters"), "totalVoters", "VoterTurnout", 0, self.file
            )
            top.ballots_cast = _count(
                t.get("ballotsCast"), "ballotsCast", "VoterTurnout", 0, self.file
            )
        feed.units = {region: top, **feed.units}
        partial = False
        for fc in feed.contests:
            fc.district = region
            for sel in fc.selections:
                for c in sel.counts:
                    if c.unit is _TOP:
                        c.unit = region
            partial = partial or bool(
                fc.reported is not None and fc.total and fc.reported < fc.total
            )
        feed.status = "preliminary" if partial else "final"
        if self.unknown_registered:
            kind = "precinct" if self.saw_precinct else "county"
            feed.notes.append(
                Note(
                    "registered-unknown",
                    f"{self.unknown_registered} {kind}(s) give totalVoters=0 beside ballots "
                    "cast: read as registered voters not given",
                    self.file,
                )
            )
        return feed


def feed_from_clarity(data: bytes, name: str) -> Feed:
    parser = safe_parser(name, namespaces=False)
    reader = _Reader(name, parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    root: list[str] = []

    def first(tag: str, attrs: dict[str, str]) -> None:
        root.append(tag)
        if tag != "ElectionResult":
            raise FormatError(
                f"the root element is <{tag}>, not <ElectionResult>",
                file=name,
                hint="a Clarity detail.xml starts with <ElectionResult>",
            )
        parser.StartElementHandler = reader.start
        reader.start(tag, attrs)

    parser.StartElementHandler = first
    run_parser(parser, data, name)
    if not root:
        raise FormatError("no XML element", file=name, hint="is this the right file?")
    return reader.finish()
