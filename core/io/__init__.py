"""Loaders: every layout becomes the same :class:`elect.core.model.Election`."""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..model import Election
from .mapping import Mapping, load_mapping
from .source import InputSource, detect_encoding
from .table import read_header

# Each loader is imported when a file of its layout is read: start-up pays for one.

FORMATS = ("auto", "json", "jsonl", "wide", "long")


def detect_format(src: InputSource, encoding: str | None = None) -> str:
    """``json``, ``long`` or ``wide``, from the content (never from the file name)."""
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
    if text[0] in "{[":
        from .jsonl import is_jsonl_header

        line = text.split("\n", 1)[0]
        if text[0] == "{" and "\n" not in text:
            wide = src.read_head(1 << 20)  # a long header line
            line = wide.decode(enc, errors="ignore").lstrip("\ufeff").lstrip().split("\n", 1)[0]
        return "jsonl" if is_jsonl_header(line) else "json"
    from .long import is_long_header

    headers, *_ = read_header(src, encoding)
    if is_long_header(headers):
        return "long"
    if len(headers) < 2:
        raise FormatError(
            "unknown format: neither JSON nor a delimited table with several columns",
            file=src.name,
            line=1,
            hint="elect reads CSV (wide or long) and its JSON document; force one with --format",
        )
    return "wide"


def load(
    source: str | Path | InputSource,
    *,
    format: str | Mapping = "auto",
    encoding: str | None = None,
    sheet: str | None = None,
) -> Election:
    """Load a result file (path, or an :class:`InputSource` for stdin) into an Election.

    ``format`` is a layout name, or a :class:`Mapping` (``--map``/``--preset``) that
    says which column is what in a wide file. A spreadsheet (.xlsx, .ods, .xls) is
    read as the CSV text of one of its sheets (``sheet``: a name or 1-based number).
    """
    src = source if isinstance(source, InputSource) else InputSource.from_path(source)
    src, workbook = table_source(src, sheet)
    election = _load(src, format, encoding)
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
                "--sheet applies to spreadsheets, and this is not one",
                file=src.name,
                hint="drop --sheet, or name an .xlsx, .xls or .ods file",
            )
        return src, None
    return sheet_as_csv_source(src, kind, sheet), kind


def _load(src: InputSource, format, encoding: str | None) -> Election:
    if isinstance(format, Mapping):
        from .wide import load_wide

        election = load_wide(src, encoding=encoding, mapping=format)
        election.input_format = f"wide-csv ({format.name})" if format.name else "wide-csv"
        if src.compression:
            election.input_format = f"{election.input_format}+{src.compression}"
        return election
    fmt = detect_format(src, encoding) if format in (None, "auto") else format
    if fmt not in FORMATS:
        raise FormatError(
            f"unknown format {fmt!r}", file=src.name, hint=f"use one of {', '.join(FORMATS)}"
        )
    election = _loader(fmt)(src, encoding=encoding)
    if src.compression:
        election.input_format = f"{election.input_format}+{src.compression}"
    return election


def _loader(fmt: str):
    if fmt == "json":
        from .canonical import load_canonical

        return load_canonical
    if fmt == "jsonl":
        from .jsonl import load_jsonl

        return load_jsonl
    if fmt == "long":
        from .long import load_long

        return load_long
    from .wide import load_wide

    return load_wide


def bundled_path(name: str = "kz-2022-presidential.json") -> Path:
    """The path of a bundled fixture (shipped as package data)."""
    from importlib.resources import files

    return Path(str(files("elect.fixtures").joinpath(name)))


def mapping_for(map_file: str | Path | None = None, preset: str | None = None) -> Mapping | None:
    """The mapping named by ``--map FILE`` or ``--preset NAME`` (None for neither)."""
    if map_file and preset:
        from ..errors import SelectionError

        raise SelectionError(
            "--map and --preset both given",
            hint='use one; a mapping file can start from a preset with extends = "NAME"',
        )
    if map_file:
        return load_mapping(map_file)
    if preset:
        from .presets import load_preset

        return load_preset(preset)
    return None


__all__ = [
    "FORMATS",
    "InputSource",
    "Mapping",
    "bundled_path",
    "detect_format",
    "load",
    "load_mapping",
    "table_source",
    "mapping_for",
]
