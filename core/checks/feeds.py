"""``elect validate`` on result feeds: NIST SP 1500-100 ERR (XML, JSON) and Clarity detail.xml.

The feed is read into its neutral form (``io/feed.py``) and checked there for
what only a feed can get wrong: references to ObjectIds it never defines, ids
defined twice, GpUnits that compose each other in a cycle, counts by type that
do not add up to the total beside them, more precincts reporting than exist.
Then it is turned into the model, and the arithmetic and plausibility checks
run on it as on any other file.
"""

from __future__ import annotations

from ..errors import ElectError, UnreadableFileError
from ..io.feed import TOTAL, Feed, component_sum, to_election
from ..io.gpunits import find_cycles, units_below
from ..io.source import InputSource
from .findings import Collector

FEED_FORMATS = ("nist-xml", "nist-json", "clarity")


def sniff_feed(src: InputSource, forced: str) -> str | None:
    """The feed format of SRC (``forced`` when the user named one), or None for other files.

    Raises the FormatError of an XML document that is neither NIST nor Clarity.
    """
    if forced in FEED_FORMATS:
        return forced
    if forced not in (None, "auto"):
        return None
    head = src.read_head(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        from ..io import xml_format

        return xml_format(head.decode("utf-8", errors="replace"), src.name)
    if head.startswith(b"{") and b'"ElectionResults.' in head:
        return "nist-json"
    return None


def _place(where: int | str) -> dict:
    return {"line": where} if isinstance(where, int) else {"path": where}


def read_feed(src: InputSource, fmt: str, encoding: str | None = None) -> Feed:
    if fmt == "clarity":
        from ..io.clarity import read_clarity

        return read_clarity(src)
    from ..io.nist import read_nist

    return read_nist(src, encoding=encoding)


def validate_feed(src: InputSource, fmt: str, col: Collector, encoding: str | None = None):
    """The feed checks; returns the Election for the model checks, or None if it does not load."""
    try:
        feed = read_feed(src, fmt, encoding)
    except UnreadableFileError:
        raise
    except ElectError as exc:
        reason = exc.message + (f" (hint: {exc.hint})" if exc.hint else "")
        code = "malformed-file" if exc.message.startswith(("malformed", "invalid JSON")) else None
        if code:
            col.add(code, line=exc.line or None, reason=exc.message)
        else:
            # A JSON feed's error has no line but a JSON path (its column): that is the
            # finding's path, so the report's location.line stays a number or null.
            line = exc.line or None
            col.add("unloadable", line=line, path=None if line else exc.column, reason=reason)
        col.add("checks-skipped", reason="the feed does not load; fix the errors above")
        return None
    flagged = check_feed(feed, col)
    election = to_election(feed)
    election.file = src.name
    election.notes = [n for n in election.notes if n.code != "count-types-mismatch"]
    _unflag(election, flagged)
    return election


def _unflag(election, flagged: set[tuple[str, str, str]]) -> None:
    """Blank the counts by type already reported as not adding up (with their line), so the
    model's vote-breakdown check does not report them a second time."""
    import numpy as np

    for contest in election.contests:
        cells = [(s, u) for c, s, u in flagged if c == contest.id]
        if not cells:
            continue
        ids = contest.units["unit_id"].astype(str).tolist()
        row = {u: i for i, u in enumerate(ids)}
        for frame in contest.components.values():
            for sid, uid in cells:
                if uid in row and sid in frame.columns:
                    frame.iloc[row[uid], frame.columns.get_loc(sid)] = np.nan


def check_feed(feed: Feed, col: Collector) -> set[tuple[str, str, str]]:
    """Every feed fault; returns the (contest, selection, unit) whose counts by type
    do not add up."""
    flagged: set[tuple[str, str, str]] = set()
    for ref in feed.refs:
        if ref.id not in feed.ids.get(ref.target, ()):
            col.add(
                "feed-dangling-reference",
                kind=ref.kind,
                ref=ref.id,
                target=ref.target,
                **_place(ref.where),
            )
    for oid, where in feed.duplicates:
        col.add("feed-duplicate-id", ref=oid, **_place(where))
    for cycle in find_cycles(feed):
        first = feed.units[cycle[0]]
        col.add("feed-gpunit-cycle", cycle=" → ".join(cycle), **_place(first.where))
    for fc in feed.contests:
        if fc.district in feed.units:
            inside = units_below(feed, fc.district)
            outside = list(
                dict.fromkeys(
                    c.unit for s in fc.selections for c in s.counts if c.unit not in inside
                )
            )
            if outside:
                col.add(
                    "feed-count-outside-district",
                    contest=fc.name,
                    units=len(outside),
                    district=fc.district,
                    example=outside[0],
                    **_place(fc.where),
                )
        if fc.reported is not None and fc.total is not None and fc.reported > fc.total:
            col.add(
                "feed-reporting-exceeds-total",
                contest=fc.name,
                reported=fc.reported,
                total=fc.total,
                unit=fc.progress_unit,
                **_place(fc.where),
            )
        for sel in fc.selections:
            by_unit: dict[str, dict[str, int]] = {}
            first_place: dict[str, int | str] = {}  # unit id → where its first count is
            for c in sel.counts:
                slot = by_unit.setdefault(c.unit, {})
                slot[c.type] = slot.get(c.type, 0) + c.value
                first_place.setdefault(c.unit, c.where)
            for uid, by_type in by_unit.items():
                parts, total = component_sum(by_type), by_type.get(TOTAL)
                if parts is None or total is None or parts == total:
                    continue
                flagged.add((fc.id, sel.id, uid))
                unit = feed.units.get(uid)
                col.add(
                    "feed-count-types-mismatch",
                    contest=fc.name,
                    option=sel.name,
                    unit=unit.name if unit else uid,
                    parts=parts,
                    total=total,
                    gap=parts - total,
                    **_place(first_place[uid]),
                )
    return flagged
