"""Loaders: every layout becomes the same :class:`elect.core.model.Election`."""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from ..model import Election
from .mapping import Mapping, load_mapping
from .source import InputSource, detect_encoding
from .table import read_header

# Each loader is imported when a file of its layout is read: start-up pays for one.

FORMATS = ("auto", "json", "jsonl", "wide", "long", "nist-xml", "nist-json", "clarity")


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


def load(
    source: str | Path | InputSource,
    *,
    format: str | Mapping = "auto",
    encoding: str | None = None,
) -> Election:
    """Load a result file (path, or an :class:`InputSource` for stdin) into an Election.

    ``format`` is a layout name, or a :class:`Mapping` (``--map``/``--preset``) that
    says which column is what in a wide file.
    """
    src = source if isinstance(source, InputSource) else InputSource.from_path(source)
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
    if fmt in ("nist-xml", "nist-json"):
        from .nist import load_nist

        return load_nist
    if fmt == "clarity":
        from .clarity import load_clarity

        return load_clarity
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
    "mapping_for",
]
