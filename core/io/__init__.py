"""Loaders: every layout becomes the same :class:`elect.core.model.Election`."""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..model import Election, Note
from .interpret import Interpretation
from .mapping import Mapping, load_mapping
from .source import InputSource, detect_encoding
from .table import read_header

# ``--preset none``: no shipped layout is chosen by header signature.
NO_MAPPING = Mapping(name="none", origin="preset none")

# Each loader is imported when a file of its layout is read: start-up pays for one.

FORMATS = ("auto", "json", "jsonl", "wide", "long", "nist-xml", "nist-json", "clarity")
# Documents read whole by their own loader (not through the table interpretation).
DOCUMENTS = ("json", "jsonl", "nist-xml", "nist-json", "clarity")


def detect_format(src: InputSource, encoding: str | None = None) -> str:
    """``json``, ``jsonl``, ``long`` or ``wide``, from the content (never the file name)."""
    return json_kind(src, encoding) or interpret(src, encoding).layout


def json_kind(src: InputSource, encoding: str | None = None) -> str | None:
    """The document kind (``json``, ``jsonl``, ``nist-json``, ``nist-xml``, ``clarity``)
    when the content is JSON or XML, None for a delimited table."""
    head = src.read_head(4096)
    enc, _ = detect_encoding(head, src.name, encoding)
    try:
        text = head.decode(enc, errors="ignore").lstrip("\ufeff").lstrip()
    except LookupError:  # pragma: no cover - detect_encoding validated the codec
        text = ""
    if not text:
        raise FormatError(
            "empty file",
            file=src.name,
            hint="elect reads CSV (wide or long) and JSON result files",
        )
    if text[0] == "<":
        return xml_format(text, src.name)
    if text[0] == "{" and '"ElectionResults.' in text:
        return "nist-json"
    if text[0] in "{[":
        from .jsonl import is_jsonl_header

        line = text.split("\n", 1)[0]
        if text[0] == "{" and "\n" not in text:
            wide = src.read_head(1 << 20)  # a long header line
            line = wide.decode(enc, errors="ignore").lstrip("\ufeff").lstrip().split("\n", 1)[0]
        return "jsonl" if is_jsonl_header(line) else "json"
    return None


def xml_format(text: str, name: str) -> str:
    """``nist-xml`` or ``clarity``, from the root element of an XML document."""
    import re

    # Declarations, comments and a DOCTYPE (which the loader then refuses) come first.
    body = re.sub(
        r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", "", text, flags=re.S
    ).lstrip()
    m = re.match(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", body)
    root = m.group(2) if m else None
    if root == "ElectionReport":
        return "nist-xml"
    if root == "ElectionResult":
        return "clarity"
    raise FormatError(
        f"XML with root <{root or '?'}> is neither a NIST ERR feed nor a Clarity detail.xml",
        file=name,
        hint="elect reads <ElectionReport> (NIST SP 1500-100) and <ElectionResult> (Clarity)",
    )


def interpret(
    src: InputSource,
    encoding: str | None = None,
    *,
    mapping: Mapping | None = None,
    layout: str = "auto",
) -> Interpretation:
    """The one interpretation of a delimited table: layout, column roles and reasons.

    ``mapping`` is the user's (``--map``/``--preset``); without one, a shipped layout
    whose header signature the file carries is chosen, and says so in a decision.
    ``NO_MAPPING`` (``--preset none``) turns that choice off.
    """
    from .interpret import is_long_header, long_plan
    from .interpret_wide import wide_interpretation
    from .presets import choose_preset

    headers, *_ = read_header(src, encoding)
    auto = None
    if mapping is NO_MAPPING:
        mapping = None
    elif mapping is None and layout == "auto":
        auto = mapping = choose_preset(headers)
    if mapping is not None:
        long = mapping.layout == "long"
    elif layout in ("wide", "long"):
        long = layout == "long"
    else:
        long = is_long_header(headers)
    if long:
        interp = long_plan(headers, mapping, src.name)
    else:
        if len(headers) < 2:
            raise FormatError(
                "unknown format: neither JSON nor a delimited table with several columns",
                file=src.name,
                line=1,
                hint="elect reads CSV (wide or long) and its JSON document; force the layout",
                fix=("input_format", "long"),
            )
        interp = wide_interpretation(headers, mapping, src.name)
    if auto is not None:
        interp.preset = auto.name
        decision = f"layout {auto.name} (header signature)"
        interp.decisions.insert(0, decision)
        interp.fixes[decision] = ("preset", "none")
    return interp


def load(
    source: str | Path | InputSource,
    *,
    format: str | Mapping = "auto",
    encoding: str | None = None,
    sheet: str | None = None,
    contest: str | None = None,
    max_bytes: int | None = None,
) -> Election:
    """Load a result file (path, or an :class:`InputSource` for stdin) into an Election.

    ``format`` is a layout name, or a :class:`Mapping` (``--map``/``--preset``) that
    says which column is what. Tables are read through one :func:`interpret`. A
    spreadsheet (.xlsx, .ods, .xls) is read as the CSV text of one of its sheets
    (``sheet``: a name or 1-based number). ``max_bytes``: the byte limit of a path
    (``--max-bytes``; an InputSource carries its own).
    """
    src = source if isinstance(source, InputSource) else InputSource.from_path(source, max_bytes)
    src, workbook = table_source(src, sheet)
    election = _load(src, format, encoding, contest)
    if workbook:
        election.input_format = f"{election.input_format} (from {workbook})"
    return election


def table_source(src: InputSource, sheet: str | None = None) -> tuple[InputSource, str | None]:
    """A workbook becomes the CSV text of one sheet (see :mod:`.spreadsheet`)."""
    from .spreadsheet import sheet_as_csv_source, spreadsheet_kind

    kind = spreadsheet_kind(src)
    if kind is None:
        if sheet is not None:
            from ..errors import SelectionError

            raise SelectionError(
                "a sheet was named, and this is not a spreadsheet",
                file=src.name,
                hint="name no sheet, or name an .xlsx, .xls or .ods file",
            )
        return src, None
    return sheet_as_csv_source(src, kind, sheet), kind


def _load(src: InputSource, format, encoding: str | None, contest: str | None = None) -> Election:
    """``contest``: a --contest name; a long file builds only the contest it picks."""
    mapping = format if isinstance(format, Mapping) else None
    fmt = "auto" if mapping is not None or format in (None, "auto") else str(format)
    if fmt not in FORMATS:
        raise FormatError(
            f"unknown format {fmt!r}", file=src.name, hint=f"use one of {', '.join(FORMATS)}"
        )
    if mapping is not None and mapping is not NO_MAPPING and mapping.encoding and not encoding:
        encoding = mapping.encoding
    if mapping is None and fmt == "auto":
        fmt = json_kind(src, encoding) or "auto"
    if fmt in DOCUMENTS:
        election = _loader(fmt)(src, encoding=encoding)
    else:
        interp = interpret(src, encoding, mapping=mapping, layout=fmt)
        if interp.layout == "long":
            from .long import load_long

            election = load_long(src, encoding=encoding, interp=interp, contest=contest)
        else:
            from .wide import load_wide

            election = load_wide(src, encoding=encoding, interp=interp)
        election.interpretation = interp
        named = interp.mapping is not None and not interp.auto and interp.mapping.name
        if named:
            election.input_format = f"{election.input_format} ({named})"
        decided = [
            Note("interpretation", text, file=src.name, fix=interp.fixes.get(text))
            for text in interp.decisions
        ]
        election.notes[:0] = decided
    if src.compression:
        election.input_format = f"{election.input_format}+{src.compression}"
    return election


def _loader(fmt: str):
    if fmt == "json":
        from .canonical import load_canonical

        return load_canonical
    if fmt in ("nist-xml", "nist-json"):
        from .nist import load_nist

        return load_nist
    if fmt == "clarity":
        from .clarity import load_clarity

        return load_clarity
    from .jsonl import load_jsonl

    return load_jsonl


def bundled_path(name: str = "kz-2022-presidential.json") -> Path:
    """The path of a bundled fixture (shipped as package data)."""
    from importlib.resources import files

    return Path(str(files("elect.fixtures").joinpath(name)))


def mapping_for(map_file: str | Path | None = None, preset: str | None = None) -> Mapping | None:
    """The mapping named by ``--map FILE`` or ``--preset NAME`` (None for neither)."""
    if map_file and preset:
        from ..errors import SelectionError

        raise SelectionError(
            "both a mapping file and a preset given",
            hint='use one; a mapping file can start from a preset with extends = "NAME"',
        )
    if map_file:
        return load_mapping(map_file)
    if preset and preset.strip().lower() == "none":
        return NO_MAPPING
    if preset:
        from .presets import load_preset

        return load_preset(preset)
    return None


__all__ = [
    "FORMATS",
    "NO_MAPPING",
    "interpret",
    "InputSource",
    "Mapping",
    "bundled_path",
    "detect_format",
    "load",
    "load_mapping",
    "table_source",
    "mapping_for",
]
