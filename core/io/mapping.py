"""Column mappings: a publisher's layout described in TOML (``--map FILE``, ``--preset``).

A mapping says which columns identify a unit (region, district, station), which
are the unit counts, which add up to a count (ballots issued = early + on the
day + outside), which are ballot options, which rows to drop and which values
mark a unit abroad. Headers are matched exactly, by prefix, by substring or by
regular expression, because publishers reword them between elections::

    [columns]
    region = "region"
    registered = { regex = '^Число избирателей, (включенных|внесенных)' }
    ballots_cast = { regex = 'бюллетеней, выданных', sum = true }
    [options]
    columns = "rest"
    exclude = [{ prefix = "Число" }, "url"]
    [rows]
    drop_empty = true
    [abroad]
    column = "region"
    values = ["Территория за пределами РФ"]
    [rules]
    share_base = "counted"
    ballots_cast_issued = true  # ballots_cast is the ballots issued: may exceed votes + invalid
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import FormatError, MissingColumnError

ID_FIELDS = ("region", "district", "station", "mission", "country", "code", "office")
COUNT_ROLES = ("registered", "ballots_cast", "invalid")
FIELDS = (*ID_FIELDS, *COUNT_ROLES, "reported_turnout")
# Long layouts (layout = "long"): one column each, and lists of columns in order.
LONG_FIELDS = ("option", "party", "votes", "mode", "abroad")
LONG_LISTS = ("unit", "contest", "modes")
LAYOUTS = ("wide", "long")
REPEATED = ("error", "sum")
SHARE_BASES = ("valid", "cast", "registered", "counted")
_MATCH_KEYS = ("exact", "prefix", "contains", "regex")


@dataclass(frozen=True)
class Matcher:
    """One way to recognise a header: ``exact``, ``prefix``, ``contains`` or ``regex``."""

    how: str
    text: str

    def matches(self, header: str) -> bool:
        h = header.strip()
        if self.how == "exact":
            return h == self.text
        if self.how == "prefix":
            return h.startswith(self.text)
        if self.how == "contains":
            return self.text in h
        return re.search(self.text, h) is not None

    def describe(self) -> str:
        return self.text if self.how == "exact" else f"{self.how} {self.text!r}"


@dataclass(frozen=True)
class FieldSpec:
    """The headers one field takes: any of ``matchers``; several are added up if ``sum``."""

    matchers: tuple[Matcher, ...]
    sum: bool = False
    required: bool = True

    def describe(self) -> str:
        return " or ".join(m.describe() for m in self.matchers)

    def select(self, headers: list[str]) -> list[str]:
        return [h for h in headers if any(m.matches(h) for m in self.matchers)]


@dataclass(frozen=True)
class RowDrop:
    """Rows to leave out: where ``column`` (a field or a header) matches."""

    column: str
    matcher: Matcher


@dataclass
class Mapping:
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    options: Literal["rest"] | list[FieldSpec] = "rest"
    exclude: list[FieldSpec] = field(default_factory=list)
    drop_empty: bool = True
    drop_aggregate: bool = True
    drops: list[RowDrop] = field(default_factory=list)
    abroad_column: str | None = None
    abroad_values: list[Matcher] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)
    option_kinds: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    description: str | None = None
    # Where the mapping came from, for notes and the rule's source: "preset ru-cec",
    # "mapping cec.toml", "layout openelections (header signature)".
    origin: str | None = None
    layout: str = "wide"
    # Long layouts: unit / contest / modes → the columns, in order (see LONG_LISTS).
    long_columns: dict[str, list[FieldSpec]] = field(default_factory=dict)
    ignore: list[FieldSpec] = field(default_factory=list)  # columns that are no key
    repeated: str = "error"  # rows repeating a (unit, contest, option): error | sum
    # Wide files: a blank option cell is "unknown" (default) or "zero" (not on the ballot).
    blank_options: str = "unknown"
    # Header signature for the automatic choice of a shipped layout: normalised
    # headers that must all be present, patterns each matching a header, and
    # patterns none may match.
    signature: dict[str, list[str]] = field(default_factory=dict)
    # Wide files: further columns of a count (``electors`` beside ``registered``), and
    # columns that read as election-protocol lines (never ballot options).
    aliases: dict[str, list[str]] = field(default_factory=dict)
    protocol: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "fields": {k: v.describe() for k, v in self.fields.items()},
            "rules": self.rules,
        }


@dataclass
class Resolved:
    """A mapping applied to one file's header row."""

    mapping: Mapping
    columns: dict[str, list[str]]  # field → headers (several only for sums)
    options: list[str]
    ignored: list[str]
    columns_all: list[str] = field(default_factory=list)

    def usecols(self) -> list[str]:
        cols = [h for hs in self.columns.values() for h in hs] + self.options
        for d in self.mapping.drops:
            cols += self.columns.get(d.column, [d.column])
        if self.mapping.abroad_column:
            cols += self.columns.get(self.mapping.abroad_column, [self.mapping.abroad_column])
        return list(dict.fromkeys(cols))

    def header_of(self, name: str) -> str:
        """A field name or a header, as the header it reads."""
        hs = self.columns.get(name)
        return hs[0] if hs else name


def _matcher(value: Any, where: str, source: str) -> Matcher:
    if isinstance(value, str):
        return Matcher("exact", value)
    if isinstance(value, dict):
        keys = [k for k in _MATCH_KEYS if k in value]
        if len(keys) == 1:
            text = value[keys[0]]
            if keys[0] == "regex":
                try:
                    re.compile(text)
                except re.error as exc:
                    raise FormatError(
                        f"bad regular expression for {where}: {exc}",
                        file=source,
                        hint="TOML literal strings ('...') keep backslashes as written",
                    ) from exc
            return Matcher(keys[0], str(text))
    raise FormatError(
        f"cannot read the header pattern for {where}: {value!r}",
        file=source,
        hint='write a header as "name", or { prefix = "..." }, { contains = "..." }, '
        '{ regex = "..." }',
    )


def _spec(value: Any, where: str, source: str) -> FieldSpec:
    summed, required = False, True
    if isinstance(value, dict) and any(k in value for k in ("any", "sum", "required")):
        summed = bool(value.get("sum", False))
        required = bool(value.get("required", True))
        parts = value.get("any")
        if parts is None:
            parts = [{k: v for k, v in value.items() if k in _MATCH_KEYS}]
        value = parts
    items = value if isinstance(value, list) else [value]
    matchers = tuple(_matcher(v, where, source) for v in items)
    return FieldSpec(matchers, summed, required)


def mapping_from_dict(doc: dict[str, Any], *, source: str, name: str | None = None) -> Mapping:
    """Build a mapping from parsed TOML; ``extends = "preset"`` starts from a preset."""
    base = None
    if "extends" in doc:
        from .presets import load_preset

        base = load_preset(str(doc["extends"]))
    m = Mapping(name=name or str(doc.get("name") or Path(source).stem))
    if base is not None:
        m = Mapping(**{**base.__dict__, "name": m.name})
        m.fields = dict(base.fields)
        m.rules = dict(base.rules)
        m.long_columns = dict(base.long_columns)
        m.signature = {}  # a user's mapping is chosen by the user, never by signature
    m.description = doc.get("description", m.description)
    m.encoding = doc.get("encoding", m.encoding)
    unknown = set(doc) - {
        "name",
        "description",
        "extends",
        "encoding",
        "columns",
        "options",
        "rows",
        "abroad",
        "rules",
        "layout",
        "signature",
    }
    if unknown:
        raise FormatError(
            f"unknown mapping section {sorted(unknown)[0]!r}",
            file=source,
            hint="sections: columns, options, rows, abroad, rules",
        )
    m.layout = str(doc.get("layout", m.layout))
    if m.layout not in LAYOUTS:
        raise FormatError(
            f"unknown layout {m.layout!r}", file=source, hint="layout is wide or long"
        )
    if "signature" in doc:
        m.signature = {k: [str(x) for x in v] for k, v in dict(doc["signature"]).items()}
    for key, value in (doc.get("columns") or {}).items():
        if key in LONG_LISTS or key == "ignore":
            items = value if isinstance(value, list) else [value]
            specs = [_spec(v, f"columns.{key}", source) for v in items]
            if key == "ignore":
                m.ignore = specs
            else:
                m.long_columns[key] = specs
            continue
        if key not in FIELDS and key not in LONG_FIELDS:
            raise FormatError(
                f"unknown field {key!r} under [columns]",
                file=source,
                hint=f"fields: {', '.join((*FIELDS, *LONG_FIELDS, *LONG_LISTS, 'ignore'))}",
            )
        m.fields[key] = _spec(value, f"columns.{key}", source)
    if m.long_columns and m.layout != "long":
        raise FormatError(
            "unit, contest and modes lists are for long files",
            file=source,
            hint='add layout = "long" at the top of the mapping',
        )
    opts = doc.get("options") or {}
    if "columns" in opts:
        cols = opts["columns"]
        m.options = "rest" if cols == "rest" else [_spec(c, "options", source) for c in cols]
    if "exclude" in opts:
        m.exclude = [_spec(c, "options.exclude", source) for c in opts["exclude"]]
    m.option_kinds = {**m.option_kinds, **(opts.get("kinds") or {})}
    m.blank_options = str(opts.get("blank", m.blank_options))
    if m.blank_options not in ("unknown", "zero"):
        raise FormatError(
            f"options.blank must be unknown or zero, not {m.blank_options!r}",
            file=source,
            hint='blank = "zero" when a blank cell means the option was not on that ballot',
        )
    rows = doc.get("rows") or {}
    m.drop_empty = bool(rows.get("drop_empty", m.drop_empty))
    m.drop_aggregate = bool(rows.get("drop_aggregate", m.drop_aggregate))
    m.repeated = str(rows.get("repeated", m.repeated))
    if m.repeated not in REPEATED:
        raise FormatError(
            f"rows.repeated must be one of {', '.join(REPEATED)}, not {m.repeated!r}",
            file=source,
            hint='repeated = "sum" adds up rows that repeat a unit, contest and option',
        )
    for i, d in enumerate(rows.get("drop") or []):
        if not isinstance(d, dict) or "column" not in d:
            raise FormatError(
                f"rows.drop[{i}] needs a column",
                file=source,
                hint='e.g. { column = "region", prefix = "Итого" }',
            )
        pattern = {k: v for k, v in d.items() if k != "column"}
        m.drops.append(RowDrop(str(d["column"]), _matcher(pattern, f"rows.drop[{i}]", source)))
    abroad = doc.get("abroad") or {}
    if abroad:
        m.abroad_column = str(abroad.get("column", "region"))
        values = [Matcher("exact", str(v)) for v in abroad.get("values") or []]
        if "regex" in abroad:
            values.append(_matcher({"regex": abroad["regex"]}, "abroad.regex", source))
        if "prefix" in abroad:
            values.append(Matcher("prefix", str(abroad["prefix"])))
        m.abroad_values = values
    rules = doc.get("rules") or {}
    if "share_base" in rules and rules["share_base"] not in SHARE_BASES:
        raise FormatError(
            f"unknown share_base {rules['share_base']!r}",
            file=source,
            hint=f"use one of {', '.join(SHARE_BASES)}",
        )
    if not isinstance(rules.get("ballots_cast_issued", False), bool):
        raise FormatError(
            "ballots_cast_issued must be true or false",
            file=source,
            hint="true when the ballots_cast column counts the ballots issued",
        )
    from ..rules import check_rule_fields

    m.rules.update(check_rule_fields(rules, where=source))
    return m


def mapping_source(mapping: Mapping) -> str:
    """Where a mapping came from, in words (the rule's source in a headline)."""
    return mapping.origin or (f"mapping {mapping.name}" if mapping.name else "mapping")


def load_mapping(path: str | Path) -> Mapping:
    """Read a ``--map`` TOML file."""
    import tomllib

    p = Path(path)
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FormatError(
            "no such mapping file", file=str(path), hint="check the path of the mapping"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(
            f"cannot read mapping: {exc}", file=str(path), hint="save it as UTF-8 TOML"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(
            f"invalid TOML: {exc}", file=str(path), hint="check quotes and brackets"
        ) from exc
    m = mapping_from_dict(doc, source=str(path))
    m.origin = f"mapping {Path(path).name}"
    return m


def resolve(mapping: Mapping, headers: list[str], file: str) -> Resolved:
    """Which headers each field takes in this file; a clear error when one is absent."""
    columns: dict[str, list[str]] = {}
    taken: set[str] = set()
    # "preset 'ru-cec'" or "mapping 'cec.toml'": a mapping file is never called a preset.
    kind, _, given = mapping_source(mapping).partition(" ")
    what = f"{kind} {given!r}" if given else "the mapping"
    for key, spec in mapping.fields.items():
        found = [h for h in spec.select(headers) if h not in taken]
        if not found:
            if not spec.required:
                continue
            raise MissingColumnError(
                f"{what} does not fit: no column matches {key} ({spec.describe()})",
                file=file,
                line=1,
                column=key,
                hint="elect inspect FILE shows the headers; adjust the mapping, or try "
                "another preset",
            )
        if len(found) > 1 and not spec.sum:
            raise FormatError(
                f"{what}: {key} ({spec.describe()}) matches {len(found)} columns: "
                + ", ".join(repr(h) for h in found[:4]),
                file=file,
                line=1,
                column=key,
                hint="make the pattern narrower, or add sum = true to add them up",
            )
        columns[key] = found
        taken.update(found)
    if "region" not in columns:
        raise MissingColumnError(
            f"{what} names no region column",
            file=file,
            line=1,
            hint='add region = "HEADER" under [columns]',
        )
    drop_cols = {d.column for d in mapping.drops} | {mapping.abroad_column}
    for c in drop_cols - {None}:
        if c not in columns and c not in headers:
            raise MissingColumnError(
                f"{what} names column {c!r}, which the file does not have",
                file=file,
                line=1,
                column=c,
                hint="elect inspect FILE lists the headers",
            )
    excluded = {h for spec in mapping.exclude for h in spec.select(headers)}
    if mapping.options == "rest":
        options = [h for h in headers if h not in taken and h not in excluded]
    else:
        options = []
        for spec in mapping.options:
            found = [h for h in spec.select(headers) if h not in taken]
            if not found and spec.required:
                raise MissingColumnError(
                    f"{what} does not fit: no ballot-option column matches {spec.describe()}",
                    file=file,
                    line=1,
                    hint="elect inspect FILE lists the headers",
                )
            options += [h for h in found if h not in options]
    ignored = [h for h in headers if h not in taken and h not in options]
    return Resolved(mapping, columns, options, ignored, list(headers))
