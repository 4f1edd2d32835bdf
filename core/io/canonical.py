"""The canonical JSON document (``elect schema`` prints its JSON Schema).

One document holds an election, its contests, each contest's options and units.
Units name their ``parent``; counts are integers or null; published percentages
sit under ``reported`` and are never mixed with the counts; ``sources`` and
``derived`` say where each figure came from. See README "The JSON document".

Two readings give one model: the exact one (``json`` and the schema walk) and, for
documents of 1 MiB or more in UTF-8, the fast one (:mod:`.canonical_fast`), which
hands whatever it does not take as it is to the exact one. The shape is checked in
:mod:`.canonical_check`, the unit columns built in :mod:`.canonical_units`, and a
duplicated key refused by :mod:`.json_keys` on both.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..errors import FormatError
from ..model import (
    OPTION_KINDS,
    Contest,
    Election,
    Note,
    Option,
    Rules,
    Source,
)
from .canonical_check import FORMAT_VERSION, check_document
from .canonical_units import exact_unit_columns, unit_tables
from .json_keys import DuplicateKeyError, check_keys, decoded_keys
from .source import InputSource, detect_encoding, file_stamp

FORMAT_NAME = "elect-election"
MAX_DEPTH_HINT = "the document is nested too deeply to be an election file"
# Below this a document is read by the exact path alone (a few ms either way), so small
# files such as the bundled election do not import msgspec.
_FAST_MIN_BYTES = 1 << 20
__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "election_from_document", "load_canonical", "role_of"]


def load_canonical(src: InputSource, *, encoding: str | None = None) -> Election:
    # Read, never mapped: a file truncated by another process while mapped (an election-
    # night writer, --watch) would kill elect with SIGBUS instead of a JSON error.
    try:
        stamp = file_stamp(src)  # before the reading: a change during it shows too
    except OSError:
        stamp = None
    columnar = True  # the fast path may read plain units as columns
    if stamp is not None and _FAST_MIN_BYTES <= stamp[0] <= src.limit and _streams(src, encoding):
        election = _load_fast(src, None, stamp)
        if isinstance(election, Election):
            return election
        columnar = election is None  # NOT_PLAIN: read whole, not as columns again
    raw = src.read_all()
    enc, note = detect_encoding(raw[: 1 << 16], src.name, encoding)
    if enc == "utf-8" and len(raw) >= _FAST_MIN_BYTES:
        # The fast path holds the only reference, so the bytes go as soon as it can.
        box = [raw]
        del raw
        election = _load_fast(src, box, stamp, columnar)
        if isinstance(election, Election):
            return election
        raw = src.read_all()
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"undecodable bytes for {enc}",
            file=src.name,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="re-save the file as UTF-8",
        ) from exc
    del raw
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"invalid JSON: {exc.msg} (column {exc.colno})",
            file=src.name,
            line=exc.lineno,
            hint="the file may be truncated; check it with a JSON linter",
        ) from exc
    except RecursionError as exc:
        raise FormatError(MAX_DEPTH_HINT, file=src.name, hint="is this the right file?") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise FormatError(
            f"invalid JSON: {exc}", file=src.name, hint="no count has thousands of digits"
        ) from exc
    check_keys(text, decoded_keys(doc), src.name)
    del text
    notes = list(src.notes) + ([note] if note else [])
    return election_from_document(doc, name=src.name, notes=notes)


def _streams(src: InputSource, encoding: str | None) -> bool:
    """Whether the file may be read in one pass (:mod:`.canonical_stream`): a plain,
    uncompressed file in UTF-8 without a byte-order mark."""
    if src.compression is not None or src.data is not None or src.path is None:
        return False
    head = src.read_head(1 << 16)
    if head.startswith(b"\xef\xbb\xbf"):
        return False
    return detect_encoding(head, src.name, encoding)[0] == "utf-8"


def _load_fast(
    src: InputSource, box: list[bytes] | None, stamp, columnar: bool = True
) -> Election | object | None:
    """The fast reading, or None when it does not take the document (exact path).
    BOX: the document's bytes, read whole; None: read the file in one pass, which may
    also give NOT_PLAIN (units that are not plain: no columns when read whole)."""
    import gc

    try:
        from . import canonical_fast as fast
    except ImportError:  # pragma: no cover - msgspec is a dependency
        return None
    # Hundreds of thousands of new containers, none of them in a cycle: without the
    # collector's passes over them the reading is ~20% faster.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if box is None:
            from .canonical_stream import stream_document

            parsed = stream_document(src, stamp)
        else:
            parsed = fast.parse(box.pop(), src.name, src, stamp, columnar)
        if not isinstance(parsed, tuple):
            return parsed  # None, or NOT_PLAIN
        doc, units = parsed
        try:
            return election_from_document(
                doc, name=src.name, notes=list(src.notes), fast_units=units
            )
        except fast.NotPlain:
            return None
        except DuplicateKeyError:
            raise
        except FormatError:
            # The exact path names a duplicated key before any other fault: so does this.
            # The skeleton and the units read so far were checked; the rest are counted.
            if fast.units_hold_duplicate(units, src.name):
                fast.refuse_duplicate(src.read_all(), src.name)
            raise
    finally:
        if collecting:
            gc.enable()


def election_from_document(
    doc: Any,
    *,
    name: str,
    notes: list[Note] | None = None,
    fast_units: Any = None,
) -> Election:
    p = _Path(name)
    if not isinstance(doc, dict):
        raise p.error("the top level must be a JSON object", "$")
    check_document(doc, p)
    meta = doc.get("election") or {}
    if not isinstance(meta, dict):
        raise p.error("'election' must be an object", "$.election")
    contests_doc = doc.get("contests")
    if contests_doc is None and "units" in doc:
        contests_doc = [{"options": doc.get("options", []), "units": doc["units"]}]
    if not isinstance(contests_doc, list) or not contests_doc:
        raise p.error(
            "'contests' must be a non-empty list",
            "$.contests",
            hint="see `elect schema` for the document's shape",
        )
    status = meta.get("status", "final")
    if status not in ("preliminary", "final"):
        raise p.error(f"status must be preliminary or final, not {status!r}", "$.election.status")
    election = Election(
        name=str(meta.get("name") or name),
        country=meta.get("country"),
        date=meta.get("date"),
        kind=meta.get("kind"),
        status=status,
        sources=[
            _source(s, p, f"$.election.sources[{i}]")
            for i, s in enumerate(meta.get("sources") or [])
        ],
        notes=list(notes or []),
        file=name,
        input_format="json",
        role=role_of(meta),
    )
    for i, c in enumerate(contests_doc):
        fast = (fast_units, i) if fast_units is not None else None
        election.contests.append(_contest(c, p, f"$.contests[{i}]", election.notes, fast))
    return election


class _Path:
    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, message: str, where: str, hint: str | None = None) -> FormatError:
        return FormatError(
            message, file=self.file, column=where, hint=hint or "see `elect schema` for the shape"
        )


def _source(s: Any, p: _Path, where: str) -> Source:
    if not isinstance(s, dict) or "id" not in s:
        raise p.error("a source needs an 'id'", where)
    return Source(str(s["id"]), s.get("title"), s.get("url"), s.get("note"))


def _contest(c: Any, p: _Path, where: str, notes: list[Note], fast: tuple | None = None) -> Contest:
    if not isinstance(c, dict):
        raise p.error("a contest must be an object", where)
    options = []
    for i, o in enumerate(c.get("options") or []):
        ow = f"{where}.options[{i}]"
        if not isinstance(o, dict) or "id" not in o:
            raise p.error("an option needs an 'id'", ow)
        kind = o.get("kind", "candidate")
        if kind not in OPTION_KINDS:
            raise p.error(
                f"unknown option kind {kind!r}", ow, f"use one of {', '.join(OPTION_KINDS)}"
            )
        options.append(
            Option(
                str(o["id"]),
                str(o.get("name") or o["id"]),
                o.get("party"),
                kind,
                tuple(o.get("aliases") or ()),
            )
        )
    if not options:
        raise p.error("a contest needs at least one option", f"{where}.options")
    option_ids = [o.id for o in options]
    rules_doc = c.get("rules") or {}
    rules = Rules(
        majority=rules_doc.get("majority", "unknown"),
        threshold_pct=Decimal(str(rules_doc.get("threshold_pct", 50))),
        runoff_size=int(rules_doc.get("runoff_size", 2)),
        base_kinds=tuple(rules_doc.get("base_kinds") or Rules().base_kinds),
        source="file" if "majority" in rules_doc else None,
    )
    units_doc = c.get("units")
    if not isinstance(units_doc, list) or not units_doc:
        raise p.error("a contest needs a non-empty 'units' list", f"{where}.units")
    if fast is not None:
        from .canonical_fast import read_units

        table, vote_frame, reported_shares, provenance = read_units(
            fast[0], fast[1], option_ids, p, where
        )
    else:
        cols, votes, reported_shares, provenance = exact_unit_columns(
            units_doc, option_ids, p, where, notes
        )
        table, vote_frame = unit_tables(cols, votes, option_ids, p, where)
    office = str(c.get("office") or c.get("name") or "Main contest")
    return Contest(
        id=str(c.get("id") or "main"),
        office=office,
        district=c.get("district"),
        options=options,
        table=table,
        votes=vote_frame,
        rules=rules,
        reported_shares=reported_shares,
        provenance=provenance,
    )


def role_of(meta: dict) -> str | None:
    """The source role a document's ``election`` object gives itself (see reconcile)."""
    from ..model import SOURCE_ROLES

    role = meta.get("role")
    if role in SOURCE_ROLES:
        return role
    return "official" if meta.get("official") is True else None
