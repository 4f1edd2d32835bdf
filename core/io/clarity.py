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

from ..errors import FormatError
from ..model import CANDIDATE, Note
from .feed import Count, Feed, FeedContest, Selection, Unit
from .options import option_kind
from .source import InputSource
from .xmltree import Node, parse_xml

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
    return feed_from_clarity(parse_xml(src.read_all(), src.name), src.name)


def _int(node: Node, attr: str, file: str) -> int | None:
    raw = node.attrs.get(attr)
    if raw is None:
        return None
    if raw.isdigit():  # nearly every count: no more work
        return int(raw)
    if raw.strip() == "":
        return None
    text = raw.strip().replace(",", "")
    if not text.isdigit():
        raise FormatError(
            f"{attr}={raw!r} on <{node.tag}> is not a whole, non-negative count",
            file=file,
            line=node.line,
            hint="counts must be whole numbers",
        )
    return int(text)


def _date(text: str | None) -> str | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text or "")
    return f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}" if m else (text or None)


def feed_from_clarity(root: Node, name: str) -> Feed:
    if root.tag != "ElectionResult":
        raise FormatError(
            f"the root element is <{root.tag}>, not <ElectionResult>",
            file=name,
            hint="a Clarity detail.xml starts with <ElectionResult>",
        )
    feed = Feed(format="clarity", name=root.value("ElectionName") or name, file=name)
    feed.date = _date(root.value("ElectionDate"))
    region = root.value("Region") or "All"
    turnout = root.first("ElectionVoterTurnout", "VoterTurnout")
    sub_tag = "County"
    if turnout is not None and turnout.first("Precincts") is not None:
        sub_tag = "Precinct"
    elif turnout is None and any(_subs(c, "Precinct") for c in root.items("Contest")):
        sub_tag = "Precinct"
    top = Unit(region, region, "state" if sub_tag == "County" else "county", where=_at(root))
    feed.units[region] = top
    unknown_registered = 0
    if turnout is not None:
        top.registered = _int(turnout, "totalVoters", name)
        top.ballots_cast = _int(turnout, "ballotsCast", name)
        for s in (x for grp in turnout.items("Counties", "Precincts") for x in grp.items(sub_tag)):
            u = _unit(feed, top, s, sub_tag, name)
            u.registered = _int(s, "totalVoters", name)
            u.ballots_cast = _int(s, "ballotsCast", name)
            if u.registered == 0 and u.ballots_cast:
                u.registered = None
                unknown_registered += 1
    if unknown_registered:
        feed.notes.append(
            Note(
                "registered-unknown",
                f"{unknown_registered} {sub_tag.lower()}(s) give totalVoters=0 beside ballots "
                "cast: read as registered voters not given",
                name,
            )
        )
    partial = False
    for c in root.items("Contest"):
        fc = _contest(feed, top, c, sub_tag, name)
        feed.contests.append(fc)
        partial = partial or (fc.reported is not None and fc.total and fc.reported < fc.total)
    feed.status = "preliminary" if partial else "final"
    return feed


def _at(node: Node) -> str:
    return node.where()


def _subs(node: Node, tag: str) -> list[Node]:
    return [s for vt in node.items("VoteType") for s in vt.items(tag)] + [
        s for ch in node.items("Choice") for vt in ch.items("VoteType") for s in vt.items(tag)
    ]


def _unit(feed: Feed, top: Unit, node: Node, tag: str, file: str) -> Unit:
    uid = node.attrs.get("name", "").strip()
    if not uid:
        raise FormatError(f"<{tag}> without a name", file=file, line=node.line)
    unit = feed.units.get(uid)
    if unit is None:
        unit = Unit(uid, uid, tag.lower(), where=_at(node))
        feed.units[uid] = unit
        top.children.append(uid)
    return unit


def _contest(feed: Feed, top: Unit, c: Node, sub_tag: str, file: str) -> FeedContest:
    key = c.attrs.get("key", "").strip() or str(len(feed.contests) + 1)
    title = c.attrs.get("text", "").strip() or key
    question = c.attrs.get("isQuestion", "").strip().lower() == "true"
    reported = _int(c, "precinctsReported", file)
    total = _int(c, "precinctsParticipating", file)
    if total is None:
        total = _int(c, "precinctsReporting", file)
    unit = "precincts"
    if reported is None and total is None:
        reported = _int(c, "countiesReported", file)
        total = _int(c, "countiesParticipating", file)
        unit = "counties"
    fc = FeedContest(
        key,
        title,
        "ballot-measure" if question else "candidate",
        top.id,
        "plurality",
        _int(c, "voteFor", file),
        reported,
        total,
        unit,
        where=_at(c),
    )
    for vt in c.items("VoteType"):  # contest level: undervotes, overvotes
        label = vt.attrs.get("name", "").strip() or "Other"
        kind = option_kind(label)
        sel = Selection(
            f"{key}-{vote_type(label)}", label, None, kind if kind != CANDIDATE else "other"
        )
        _counts(feed, top, sel, vt, "total", sub_tag, file)
        fc.selections.append(sel)
    for ch in c.items("Choice"):
        label = ch.attrs.get("text", "").strip() or ch.attrs.get("key", "?")
        party = ch.attrs.get("party", "").strip() or None
        sel = Selection(f"{key}-{ch.attrs.get('key', len(fc.selections))}", label, party)
        sel.kind = option_kind(label)
        sel.where = _at(ch)
        total_votes = _int(ch, "totalVotes", file)
        if total_votes is not None:
            sel.counts.append(Count(top.id, "total", total_votes, _at(ch)))
        for vt in ch.items("VoteType"):
            _counts(feed, top, sel, vt, vote_type(vt.attrs.get("name", "other")), sub_tag, file)
        fc.selections.append(sel)
    return fc


def _counts(feed, top, sel: Selection, vt: Node, ctype: str, sub_tag: str, file: str) -> None:
    v = _int(vt, "votes", file)
    if v is not None:
        sel.counts.append(Count(top.id, ctype, v, _at(vt)))
    units, counts = feed.units, sel.counts
    for s in vt.items(sub_tag):
        a = s.attrs
        u = units.get(a.get("name", ""))
        if u is None:
            u = _unit(feed, top, s, sub_tag, file)
        raw = a.get("votes", "")
        n = int(raw) if raw.isdigit() else _int(s, "votes", file)
        if n is not None:
            counts.append(Count(u.id, ctype, n, s.line))
