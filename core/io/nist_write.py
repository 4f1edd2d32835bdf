"""Writing any election elect reads as a NIST SP 1500-100 ERR v2 report, in JSON or XML.

The report is built once as the NIST JSON document (objects typed
``ElectionResults.*``, properties in the order the XSD's sequences want), then
written as it is (``nist-json``) or turned into XML in the v2 namespace
(``nist-xml``); both validate against the official schemas (tests/data/nist).

How the model maps onto the standard:

- each unit becomes a ReportingUnit (stations are ``precinct``; nations, regions and
  districts are ``other`` with the level as OtherType), its children listed in
  ComposingGpUnitIds; registered voters are VotersRegistered;
- ballots cast and invalid ballots are the election's BallotCounts (BallotsCast,
  BallotsRejected) per unit; the standard keeps them per election, so a unit whose
  contests disagree about them gets none, with a note;
- each contest is a CandidateContest (VotesAllowed 1, NumberElected 1, VoteVariation
  ``majority`` or ``plurality`` from its rule); every option a CandidateSelection
  of one Candidate (write-ins flagged IsWriteIn), except over- and undervotes,
  which are the contest's OtherCounts;
- votes are VoteCounts of type ``total``, and one per vote type the file splits
  them into (election day, early, absentee, mail, provisional).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from ..errors import DataError
from ..model import Election, Note

NS = "http://itl.nist.gov/ns/voting/1500-100/v2"
ELECT_ID = "elect-id"  # an ExternalIdentifier's OtherType: the id elect gave the object
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ABSTRACT = {"GpUnit", "Contest", "ContestSelection"}
_TYPES = {
    "election_day": "election-day",
    "early": "early",
    "early_voting": "early",
    "absentee": "absentee",
    "mail": "absentee-mail",
    "absentee_mail": "absentee-mail",
    "absentee_in_person": "absentee-in-person",
    "absentee_fwab": "absentee-fwab",
    "provisional": "provisional",
    "uocava": "uocava",
}
_VARIATION = {"plurality": "plurality", "absolute": "majority"}
_ELECTION_TYPES = {"general", "partisan-primary-closed", "partisan-primary-open", "primary"}
_ELECTION_TYPES |= {"runoff", "special"}


def _t(kind: str, **props: Any) -> dict[str, Any]:
    return {"@type": f"ElectionResults.{kind}", **{k: v for k, v in props.items() if v is not None}}


def _text(s: str) -> dict[str, Any]:
    return _t("InternationalizedText", Text=[_t("LanguageString", Content=s, Language="en")])


class _Ids:
    """ObjectIds: NCNames, unique across the whole document (xsd:ID)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.by_key: dict[tuple, str] = {}

    def get(self, prefix: str, *key: str) -> str:
        k = (prefix, *key)
        if k not in self.by_key:
            base = prefix + "-" + re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(key)).strip("_")
            oid, n = base, 1
            while oid in self.used:
                n += 1
                oid = f"{base}-{n}"
            self.used.add(oid)
            self.by_key[k] = oid
        return self.by_key[k]


def _int(v: Any) -> int | None:
    return None if v is None or v != v else int(v)


def election_report(
    election: Election,
    *,
    date: str | None = None,
    generated: str | None = None,
    notes: list[Note] | None = None,
) -> dict[str, Any]:
    """The ERR v2 document (the JSON form) of ELECTION."""
    day = date or election.date or ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise DataError(
            f"NIST ERR needs the election date as YYYY-MM-DD; the file gives {day or 'none'!r}",
            file=election.file,
            hint="give the election date",
            fix=("date", "2024-11-05"),
        )
    notes = notes if notes is not None else []
    ids = _Ids()
    units: dict[str, dict[str, Any]] = {}  # unit id → name, level, children, figures
    has_parent: set[str] = set()
    contest_roots: dict[str, list[str]] = {}

    def unit(uid: str, name: str, level: str, real: bool = True) -> dict[str, Any]:
        u = units.setdefault(uid, {"name": name, "level": level, "children": [], "fig": {}})
        if real and not u.get("real"):  # a placeholder made before its own row
            u.update(name=name, level=level or u["level"], real=True)
        u["level"] = u["level"] or level
        return u

    def link(parent: str, child: str) -> None:
        kids = unit(parent, parent.rsplit("/", 1)[-1], "", real=False)["children"]
        if child not in kids and child != parent:
            kids.append(child)
            has_parent.add(child)

    for contest in election.contests:
        frame = contest.units
        ids_in = set(frame["unit_id"].astype(str))
        rows = zip(
            frame["unit_id"].astype(str),
            frame["name"].astype(str),
            frame["level"].astype(str),
            frame["parent"].astype(str),
            frame["region"].astype(str),
            frame["district"].astype(str),
            frame["registered"],
            frame["ballots_cast"],
            frame["invalid"],
            strict=True,
        )
        mine: dict[str, None] = {}
        for uid, name, level, parent, region, district, reg, cast, inv in rows:
            u = unit(uid, name, level)
            mine[uid] = None
            # Regions and districts a table names only in its columns become units too.
            chain = [x for x in (parent, district, region) if x and x != uid]
            below = uid
            for anc in dict.fromkeys(chain):
                if anc not in ids_in:
                    lvl = "district" if anc == district else "region" if anc == region else ""
                    unit(anc, anc.rsplit("/", 1)[-1], lvl, real=False)
                link(anc, below)
                mine[anc] = None
                if anc in ids_in:
                    break
                below = anc
            for fld, v in (("registered", reg), ("ballots_cast", cast), ("invalid", inv)):
                _keep(u, fld, _int(v), uid, election, notes)
        contest_roots[contest.id] = [u for u in mine if u not in has_parent]
    roots = [uid for uid in units if uid not in has_parent]
    scope = ids.get("gpu", roots[0]) if len(roots) == 1 else ids.get("gpu", "(all units)")
    gpunits = []
    for uid, u in units.items():
        level = u["level"] or "other"
        utype = "precinct" if level == "station" else "other"
        fig = u["fig"]
        gpunits.append(
            _t(
                "ReportingUnit",
                **{"@id": ids.get("gpu", uid)},
                ComposingGpUnitIds=[ids.get("gpu", c) for c in u["children"]] or None,
                Name=_text(u["name"]),
                Type=utype,
                OtherType=level if utype == "other" else None,
                VotersRegistered=_known(fig.get("registered")),
            )
        )
    if len(roots) != 1:
        gpunits.append(
            _t(
                "ReportingUnit",
                **{"@id": scope},
                ComposingGpUnitIds=[ids.get("gpu", r) for r in roots] or None,
                Name=_text(election.country or "All units"),
                Type="other",
                OtherType="scope",
            )
        )
    ballots = []
    for uid, u in units.items():
        cast, inv = _known(u["fig"].get("ballots_cast")), _known(u["fig"].get("invalid"))
        if cast is None and inv is None:
            continue
        ballots.append(
            _t(
                "BallotCounts",
                GpUnitId=ids.get("gpu", uid),
                Type="total",
                BallotsCast=cast,
                BallotsRejected=inv,
            )
        )
    parties: dict[str, str] = {}
    candidates: list[dict[str, Any]] = []
    contests: list[dict[str, Any]] = []
    for contest in election.contests:
        tops = contest_roots[contest.id]
        district = ids.get("gpu", tops[0]) if len(tops) == 1 else scope
        contests.append(_contest(contest, ids, parties, candidates, district))
    kind = (election.kind or "").strip().lower()
    doc = _t(
        "ElectionReport",
        Election=[
            _t(
                "Election",
                BallotCounts=ballots or None,
                Candidate=candidates or None,
                Contest=contests or None,
                ElectionScopeId=scope,
                Name=_text(election.name),
                StartDate=day,
                EndDate=day,
                Type=kind if kind in _ELECTION_TYPES else "other",
                OtherType=None if kind in _ELECTION_TYPES else (election.kind or "unspecified"),
            )
        ],
        Format="precinct-level" if _has_stations(election) else "summary-contest",
        GeneratedDate=generated or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        GpUnit=gpunits,
        Issuer=_issuer(election),
        IssuerAbbreviation=_issuer(election, short=True),
        Party=[_t("Party", **{"@id": pid}, Name=_text(name)) for name, pid in parties.items()]
        or None,
        SequenceStart=1,
        SequenceEnd=1,
        Status="unofficial-partial" if election.status == "preliminary" else "unofficial-complete",
        VendorApplicationId=_vendor(),
    )
    return doc


def _keep(u: dict, fld: str, v: int | None, uid: str, election, notes: list[Note]) -> None:
    """One figure per unit: the first given; left out when contests disagree."""
    if v is None:
        return
    old = u["fig"].get(fld)
    if old is None:
        u["fig"][fld] = v
    elif old is not False and old != v:
        u["fig"][fld] = False
        notes.append(
            Note(
                "nist-figure-dropped",
                f"unit {uid!r}: contests give different {fld} ({old} and {v}); "
                "NIST keeps one per unit, so it is left out",
                election.file,
                severity="warning",
            )
        )


def _known(v: Any) -> int | None:
    return None if v is None or v is False else v


def _has_stations(election: Election) -> bool:
    return any((c.unit_frame["level"] == "station").any() for c in election.contests)


def _issuer(election: Election, short: bool = False) -> str:
    if election.sources:
        s = election.sources[0]
        return s.id if short else (s.title or s.id)
    return "unknown" if not short else "unknown"


def _vendor() -> str:
    from elect import __version__

    return f"elect {__version__}"


def _contest(contest, ids: _Ids, parties: dict, candidates: list, district: str) -> dict:
    frame = contest.units
    unit_ids = [ids.get("gpu", u) for u in frame["unit_id"].astype(str)]
    selections: list[dict[str, Any]] = []
    other: dict[str, dict[str, int]] = {}  # unit id → Overvotes/Undervotes
    for opt in contest.options:
        values = contest.votes[opt.id].to_numpy(dtype="float64")
        if opt.kind in ("over_votes", "under_votes"):
            key = "Overvotes" if opt.kind == "over_votes" else "Undervotes"
            for gid, v in zip(unit_ids, values, strict=True):
                if v == v:
                    other.setdefault(gid, {})[key] = int(v)
            continue
        counts = []
        for i, gid in enumerate(unit_ids):
            if values[i] == values[i]:
                counts.append(_t("VoteCounts", GpUnitId=gid, Type="total", Count=int(values[i])))
            for name, comp in contest.components.items():
                if opt.id not in comp.columns:
                    continue
                v = comp[opt.id].iloc[i]
                if v != v:
                    continue
                ctype = _TYPES.get(name, "other")
                counts.append(
                    _t(
                        "VoteCounts",
                        GpUnitId=gid,
                        Type=ctype,
                        OtherType=name if ctype == "other" else None,
                        Count=int(v),
                    )
                )
        party_id = None
        if opt.party:
            party_id = parties.setdefault(opt.party, ids.get("par", opt.party))
        cid = ids.get("can", contest.id, opt.id)
        candidates.append(
            _t("Candidate", **{"@id": cid}, BallotName=_text(opt.name), PartyId=party_id)
        )
        selections.append(
            _t(
                "CandidateSelection",
                **{"@id": ids.get("sel", contest.id, opt.id)},
                VoteCounts=counts or None,
                CandidateIds=[cid],
                IsWriteIn=True if opt.kind == "write_in" else None,
            )
        )
    progress = contest.progress
    return _t(
        "CandidateContest",
        **{"@id": ids.get("con", contest.id)},
        ContestSelection=selections or None,
        ElectionDistrictId=district,
        # The contest's id in elect, so that `-c ID` finds it again after a round trip.
        ExternalIdentifier=[
            _t("ExternalIdentifier", Type="other", OtherType=ELECT_ID, Value=contest.id)
        ],
        Name=contest.name,
        OtherCounts=[
            _t(
                "OtherCounts",
                GpUnitId=g,
                Overvotes=v.get("Overvotes"),
                Undervotes=v.get("Undervotes"),
            )
            for g, v in other.items()
        ]
        or None,
        SubUnitsReported=progress.reported if progress else None,
        TotalSubUnits=progress.total if progress else None,
        VoteVariation=_VARIATION.get(contest.rules.majority, "other"),
        # A rule nobody stated is written as such, not guessed (read back as unknown).
        OtherVoteVariation=None if contest.rules.majority in _VARIATION else "not stated",
        NumberElected=1,
        VotesAllowed=1,
    )


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_xml(doc: dict[str, Any]) -> bytes:
    import xml.etree.ElementTree as ET

    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}ElectionReport")
    _fill(root, doc, ET)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _fill(el, obj: dict[str, Any], ET) -> None:
    kind = obj.get("@type", "").rsplit(".", 1)[-1]
    tag = el.tag.rsplit("}", 1)[-1]
    if tag in _ABSTRACT:
        el.set(f"{{{XSI}}}type", kind)
    if "@id" in obj:
        el.set("ObjectId", obj["@id"])
    for key, value in obj.items():
        if key.startswith("@"):
            continue
        items = value if isinstance(value, list) else [value]
        if items and not isinstance(items[0], dict):  # IDREFS, or one scalar
            child = ET.SubElement(el, f"{{{NS}}}{key}")
            child.text = " ".join(_scalar(v) for v in items)
            continue
        for item in items:
            child = ET.SubElement(el, f"{{{NS}}}{key}")
            if item.get("@type") == "ElectionResults.LanguageString":
                child.set("Language", item["Language"])
                child.text = item["Content"]
            else:
                _fill(child, item, ET)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
