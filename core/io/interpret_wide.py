"""The interpretation of a wide table (one row per unit, one column per option)."""

from __future__ import annotations

import re

from ..errors import FormatError
from .headers import role_of
from .interpret import ColumnRole, Interpretation
from .mapping import COUNT_ROLES, FIELDS, FieldSpec, Mapping, Matcher, mapping_source

# Headers of election-protocol lines: counts about ballots and voters, never options.
PROTOCOL_LINE = re.compile(
    r"^\s*(число|количество|кількість|колькасць|саны|number\s+of|no\.?\s+of|ballots?\b|"
    r"voters?\b|electors?\b|registered|issued|received|cancell?ed|spoil|unused|lost\b|"
    r"invalid|valid\b|valid\s|blank\s+ballots|turnout|votes\s+cast|total\s+votes|"
    r"liczba|komisja|nie\s+wykorzystano|w\s+tym\b|wahlberechtigte|wähler|ungültige|gültige)",
    re.IGNORECASE,
)


def wide_interpretation(headers: list[str], mapping: Mapping | None, file: str) -> Interpretation:
    """A wide file: the mapping given, or one made from the header names, with reasons."""
    from ..errors import MissingColumnError
    from .mapping import resolve

    auto = mapping is None
    if auto:
        if "region" not in {role_of(h) for h in headers}:
            raise MissingColumnError(
                "missing required column 'region'",
                file=file,
                line=1,
                hint="add a region column (aliases: oblast, province, state, county), name "
                'the outermost unit column in a mapping (region = "HEADER" under '
                "[columns]), or read it as long (one row per option)",
                fix=("input_format", "long"),
            )
        mapping = auto_mapping(headers)
        mapping.drop_empty = False
    assert mapping is not None
    resolved = resolve(mapping, headers, file)
    what = "a known name" if auto else mapping_source(mapping)
    roles = [
        ColumnRole(h, f, f"header {h!r}: {what} of {f}")
        for f, hs in resolved.columns.items()
        for h in hs
    ]
    aliases = {h: f for f, hs in mapping.aliases.items() for h in hs}
    protocol = set(mapping.protocol)
    for h in resolved.options:
        roles.append(ColumnRole(h, "option", "a count column named by no other role"))
    for h in resolved.ignored:
        if h in aliases:
            roles.append(ColumnRole(h, aliases[h], f"a second column of {aliases[h]}: compared"))
        elif h in protocol:
            roles.append(ColumnRole(h, "protocol", "reads as a protocol line, not an option"))
        else:
            roles.append(ColumnRole(h, "ignored", "not a count nor a known identifier"))
    if auto and not resolved.options:
        raise FormatError(
            "no ballot-option columns"
            + (f": {len(protocol)} column(s) read as protocol lines" if protocol else ""),
            file=file,
            line=1,
            hint="name the columns with a preset or a mapping (elect inspect FILE suggests one)",
            fix=("map", "FILE.toml"),
        )
    interp = Interpretation("wide", roles, mapping=mapping, auto=auto, resolved=resolved)
    interp.reason = (
        "no option column: one row per unit, one column per option"
        if auto
        else f"{what}: one row per unit"
    )
    if protocol:
        interp.decisions.append(
            f"{len(protocol)} column(s) read as protocol lines, not options (first: "
            f"{sorted(protocol, key=headers.index)[0]!r}); a mapping or a preset names them"
        )
    return interp


def auto_mapping(headers: list[str]) -> Mapping:
    """The mapping elect uses for a plain wide file: headers recognised by name."""
    m = Mapping(name="")
    m.drop_empty = True
    abroad = None
    for h in headers:
        role = role_of(h)
        if role in FIELDS and role not in m.fields:
            m.fields[role] = FieldSpec((Matcher("exact", h.strip()),))
        elif role in COUNT_ROLES:
            m.aliases.setdefault(role, []).append(h)
        elif role == "abroad" and abroad is None:
            abroad = h
        elif role is None and PROTOCOL_LINE.match(h):
            m.protocol.append(h)
    if abroad is not None:
        m.abroad_column = abroad
    skip = {"party", "option", "votes", "contest_district"}
    m.exclude = [
        FieldSpec((Matcher("exact", h.strip()),))
        for h in headers
        if role_of(h) in skip
        or (abroad is not None and h == abroad)
        or h in m.protocol
        or any(h in hs for hs in m.aliases.values())
    ]
    return m
