"""NIST SP 1500-100 Election Results Reporting (ERR) feeds, XML and JSON, into a :class:`Feed`.

Reads version 2 as the NIST schemas define it (namespace
``http://itl.nist.gov/ns/voting/1500-100/v2``; JSON objects typed
``ElectionResults.*``) and the version-1 style Google's civics_cdf_validator
feeds use (no namespace, ``…Collection`` wrappers, ``objectId``,
``ElectoralDistrictId``, ``BallotSelection``, ``SummaryCounts``).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from ..errors import FormatError
from ..model import CANDIDATE
from .feed import Count, Feed, FeedContest, Ref, Selection, Unit
from .options import option_kind
from .source import InputSource, detect_encoding
from .xmltree import Node, from_json, parse_xml

_STATUS = {"unofficial-partial": "preliminary", "pre-election": "preliminary"}
_OTHER = (("Overvotes", "overvotes", "over_votes"), ("Undervotes", "undervotes", "under_votes"))


def load_nist(src: InputSource, *, encoding: str | None = None):
    from .feed import to_election

    feed = read_nist(src, encoding=encoding)
    election = to_election(feed)
    election.file = src.name
    election.notes = list(src.notes) + election.notes
    return election


def read_nist(src: InputSource, *, encoding: str | None = None) -> Feed:
    raw = src.read_all()
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return feed_from_tree(parse_xml(raw, src.name), src.name, "nist-xml")
    enc, _ = detect_encoding(raw[: 1 << 16], src.name, encoding)
    try:
        text = raw.decode(enc).lstrip("\ufeff")
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise FormatError(
            f"invalid JSON: {getattr(exc, 'msg', exc)}",
            file=src.name,
            line=line,
            hint="the file may be truncated; check it with a JSON linter",
        ) from exc
    from .json_keys import check_keys, decoded_keys

    check_keys(text, decoded_keys(doc), src.name)
    if not isinstance(doc, dict) or doc.get("@type") != "ElectionResults.ElectionReport":
        raise FormatError(
            "not a NIST ERR JSON feed: the top level is not an object typed "
            "ElectionResults.ElectionReport",
            file=src.name,
            column="$",
            hint="a JSON Schema or another document? NIST feeds start with that @type",
        )
    return feed_from_tree(from_json(doc), src.name, "nist-json")


def text_of(node: Node | None) -> str | None:
    """An InternationalizedText (English first), or a plain string."""
    if node is None:
        return None
    texts = list(node.items("Text"))
    if not texts:
        return node.text or None
    for t in texts:
        if (t.attrs.get("Language") or t.attrs.get("language") or "").lower().startswith("en"):
            return " ".join(t.text.split()) or None
    return " ".join(texts[0].text.split()) or None


def whole(node: Node | None, file: str) -> int | None:
    """A count: a non-negative whole number (``12`` or ``12.0``), else a FormatError."""
    if node is None or node.text == "":
        return None
    try:
        d = Decimal(node.text)
    except InvalidOperation:
        d = Decimal("NaN")
    if not d.is_finite() or d != d.to_integral_value() or d < 0 or d > 2**53:
        raise FormatError(
            f"<{node.tag}> is not a whole, non-negative count: {node.text!r}",
            file=file,
            line=node.line,
            column=node.path,
            hint="counts must be whole numbers",
        )
    return int(d)


def feed_from_tree(root: Node, name: str, fmt: str) -> Feed:
    if root.tag != "ElectionReport":
        raise FormatError(
            f"the root element is <{root.tag}>, not <ElectionReport>",
            file=name,
            hint="elect reads NIST SP 1500-100 ERR feeds and Clarity detail.xml",
        )
    feed = Feed(format=fmt, name=name, file=name)
    status = root.value("Status")
    feed.status = _STATUS.get(status or "", "final")
    reader = _Reader(feed, name)
    for g in root.items("GpUnit"):
        reader.unit(g)
    for p in root.items("Party"):
        reader.party(p)
    elections = list(root.items("Election"))
    for e in elections:
        for c in e.items("Candidate"):
            reader.candidate(c)
    for e in elections:
        reader.election(e)
    reader.settle_ballots()
    if len(elections) > 1:
        feed.notes.append(
            _note("multi-election", f"{len(elections)} elections in one report; all read", name)
        )
    return feed


def _note(code: str, message: str, file: str):
    from ..model import Note

    return Note(code, message, file)


class _Reader:
    def __init__(self, feed: Feed, file: str) -> None:
        self.feed, self.file = feed, file
        self.parties: dict[str, str] = {}
        self.candidates: dict[str, tuple[str, str | None]] = {}
        self.seen: set[str] = set()
        self.named = False
        self.ballots: dict[tuple[str, str], dict[str, list]] = {}
        self.contest_of: dict[str, FeedContest] = {}

    def _id(self, node: Node, target: str) -> str:
        oid = node.oid
        if not oid:
            raise FormatError(
                f"<{node.tag}> has no ObjectId",
                file=self.file,
                line=node.line,
                column=node.path,
                hint="every GpUnit, Party, Candidate, Contest and selection needs one",
            )
        if oid in self.seen:
            self.feed.duplicates.append((oid, node.where()))
        self.seen.add(oid)
        self.feed.ids.setdefault(target, set()).add(oid)
        return oid

    def _refs(self, node: Node, tag: str, target: str, kind: str | None = None) -> list[str]:
        ids = []
        for n in node.items(tag):
            for i in n.text.split():
                self.feed.refs.append(Ref(kind or tag, target, i, n.where()))
                ids.append(i)
        return ids

    def unit(self, g: Node) -> None:
        uid = self._id(g, "GpUnit")
        name = text_of(g.first("Name")) or text_of(g.first("InternationalizedName")) or uid
        u = Unit(uid, name, (g.value("Type") or "other").strip(), where=g.where())
        if u.type == "other":
            u.type = (g.value("OtherType") or "other").strip().lower()
        u.children = self._refs(g, "ComposingGpUnitIds", "GpUnit")
        u.registered = whole(g.first("VotersRegistered"), self.file)
        u.ballots_cast = whole(g.first("VotersParticipated"), self.file)
        self.feed.units[uid] = u

    def party(self, p: Node) -> None:
        pid = self._id(p, "Party")
        self.parties[pid] = (
            text_of(p.first("Name"))
            or text_of(p.first("Abbreviation", "InternationalizedAbbreviation"))
            or pid
        )

    def candidate(self, c: Node) -> None:
        cid = self._id(c, "Candidate")
        party = self._refs(c, "PartyId", "Party")
        self.candidates[cid] = (text_of(c.first("BallotName")) or cid, party[0] if party else None)

    def election(self, e: Node) -> None:
        feed = self.feed
        if not self.named:
            self.named = True
            feed.name = text_of(e.first("Name")) or feed.name
        feed.date = feed.date or e.value("StartDate")
        feed.kind = feed.kind or e.value("Type")
        self._refs(e, "ElectionScopeId", "GpUnit")
        for b in e.items("BallotCounts"):
            self._ballots(b, None)
        for c in e.items("Contest"):
            self.contest(c)

    def _ballots(self, b: Node, contest: FeedContest | None) -> str:
        """BallotCounts (v2, per election) or SummaryCounts (v1, per contest).

        A ``total`` count is taken as given; without one, the counts by type are added.
        """
        uid = (self._refs(b, "GpUnitId", "GpUnit", f"{b.tag} GpUnitId") or [""])[0]
        is_total = (b.value("Type") or "total") == "total"
        key = (contest.id if contest is not None else "", uid)
        for fld, tag in (("ballots_cast", "BallotsCast"), ("invalid", "BallotsRejected")):
            v = whole(b.first(tag), self.file)
            if v is None:
                continue
            slot = self.ballots.setdefault(key, {}).setdefault(fld, [None, 0, False])
            if is_total:
                slot[0] = v
            else:
                slot[1] += v
                slot[2] = True
        if contest is not None:
            self.contest_of[contest.id] = contest
        return uid

    def settle_ballots(self) -> None:
        for (cid, uid), fields in self.ballots.items():
            for fld, (total, parts, has_parts) in fields.items():
                v = total if total is not None else (parts if has_parts else None)
                if v is None:
                    continue
                if cid:
                    self.contest_of[cid].unit_counts.setdefault(uid, {})[fld] = v
                elif uid in self.feed.units:
                    setattr(self.feed.units[uid], fld, v)

    def contest(self, c: Node) -> None:
        cid = self._id(c, "Contest")
        for x in c.items("ExternalIdentifier"):  # the id elect wrote (see nist_write)
            if x.value("OtherType") == "elect-id" and x.value("Value"):
                cid = x.value("Value") or cid
        kind = {
            "BallotMeasureContest": "ballot-measure",
            "RetentionContest": "retention",
            "PartyContest": "party",
        }.get(c.xtype, "candidate")
        name = text_of(c.first("Name")) or text_of(c.first("BallotTitle")) or cid
        district = self._refs(c, "ElectionDistrictId", "GpUnit") or self._refs(
            c, "ElectoralDistrictId", "GpUnit"
        )
        fc = FeedContest(
            cid,
            name,
            kind,
            district[0] if district else None,
            _variation(c),
            whole(c.first("NumberElected"), self.file),
            whole(c.first("SubUnitsReported"), self.file),
            whole(c.first("TotalSubUnits"), self.file),
            where=c.where(),
        )
        rounds = [whole(r, self.file) for r in _all(c, "Round")]
        last = max((r for r in rounds if r is not None), default=None)
        for s in c.items("ContestSelection", "BallotSelection"):
            fc.selections.append(self.selection(s, last))
        extra: dict[str, Selection] = {}
        for oc in c.items("OtherCounts", "SummaryCounts"):
            uid = self._ballots(oc, fc)
            ctype = oc.value("Type") or "total"
            for tag, sid, okind in (*_OTHER, ("WriteIns", "write-ins", "write_in")):
                v = whole(oc.first(tag), self.file)
                if v is None:
                    continue
                label = {"over_votes": "Overvotes", "under_votes": "Undervotes"}.get(okind)
                sel = extra.setdefault(
                    sid, Selection(f"{cid}-{sid}", label or "Write-ins", None, okind)
                )
                sel.counts.append(Count(uid, ctype, v, oc.where()))
        fc.selections.extend(extra.values())
        if last is not None:
            self.feed.notes.append(
                _note(
                    "rounds", f"contest {name!r}: counts of round {last} (the last) used", self.file
                )
            )
        self.feed.contests.append(fc)

    def selection(self, s: Node, last_round: int | None) -> Selection:
        sid = self._id(s, "ContestSelection")
        party = None
        if s.first("Selection") is not None:  # a ballot measure: Yes / No
            label = text_of(s.first("Selection")) or sid
        elif s.first("PartyIds") is not None:
            pids = self._refs(s, "PartyIds", "Party")
            label = " / ".join(self.parties.get(p, p) for p in pids) or sid
        else:
            cids = self._refs(s, "CandidateIds", "Candidate")
            names = [self.candidates.get(c, (c, None)) for c in cids]
            label = " / ".join(n for n, _ in names) or sid
            pids = [p for _, p in names if p] or self._refs(s, "EndorsementPartyIds", "Party")
            party = self.parties.get(pids[0], pids[0]) if pids else None
        write_in = (s.value("IsWriteIn") or "").strip().lower() in ("true", "1")
        kind = "write_in" if write_in else option_kind(label)
        if kind not in (CANDIDATE, "against_all", "write_in", "blank", "scattering"):
            kind = CANDIDATE
        sel = Selection(sid, label, party, kind, where=s.where())
        for vc in s.items("VoteCounts"):
            rnd = whole(vc.first("Round"), self.file)
            if last_round is not None and rnd is not None and rnd != last_round:
                continue
            uid = (self._refs(vc, "GpUnitId", "GpUnit", "VoteCounts GpUnitId") or [""])[0]
            ctype = (vc.value("Type") or "total").strip()
            if ctype == "other":
                ctype = (vc.value("OtherType") or "other").strip().lower()
            v = whole(vc.first("Count"), self.file)
            if v is not None:
                sel.counts.append(Count(uid, ctype, v, vc.where()))
        return sel


def _all(node: Node, tag: str):
    todo = [node]
    while todo:
        n = todo.pop()
        for c in n.children:
            if c.tag == tag:
                yield c
            todo.append(c)


def _variation(c: Node) -> str | None:
    v = (c.value("VoteVariation") or "").strip() or None
    if v == "other" and (c.value("OtherVoteVariation") or "").strip() == "not stated":
        return "not stated"
    return v
