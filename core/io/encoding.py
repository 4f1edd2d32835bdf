"""The text encoding of an input: a byte-order mark, UTF-8, or Windows-1251.

``--encoding`` always wins. Windows-1251 is recognised through charset-normalizer,
imported only when a file is not UTF-8 (start-up stays light).
"""

from __future__ import annotations

import codecs

from ..errors import DecodeError
from ..model import Note


def detect_encoding(head: bytes, name: str, forced: str | None = None) -> tuple[str, Note | None]:
    """Pick the text encoding from the first bytes; report anything but plain UTF-8.

    ``forced`` (``--encoding``) always wins. Without it: a byte-order mark, then UTF-8,
    then Windows-1251 when charset-normalizer finds it plausible (see ``_legacy``).
    """
    if forced:
        try:
            codecs.lookup(forced)
        except LookupError as exc:
            raise DecodeError(
                f"unknown encoding {forced!r}",
                file=name,
                hint="use a Python codec name such as utf-8, cp1251 or utf-16",
            ) from exc
        return forced, None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", Note("bom", "byte-order mark removed", file=name)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", Note("encoding", "read as UTF-16 (byte-order mark)", file=name)
    if b"\x00" in head[:4096]:
        raise DecodeError(
            "binary data, not a text result file",
            file=name,
            hint="elect reads CSV and JSON text, optionally gzip/bz2/xz/zip compressed",
        )
    try:
        _decode_prefix(head, "utf-8")
        return "utf-8", None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _legacy(head) == "cp1251":
        return "cp1251", Note("encoding", "read as Windows-1251 (not UTF-8)", file=name)
    line = head[: utf8_error.start].count(b"\n") + 1
    raise DecodeError(
        f"undecodable bytes: not UTF-8 (byte 0x{head[utf8_error.start]:02x})",
        file=name,
        line=line,
        hint="re-save the file as UTF-8, or name its encoding",
        fix=("encoding", "cp1251"),
    )


def _legacy(head: bytes) -> str | None:
    """Windows-1251, if charset-normalizer reads the bytes as coherent Cyrillic text.

    charset-normalizer is asked about Windows-1251 only (what commissions in Russia
    and Kazakhstan publish): on a few short names its open guess wanders between
    code pages. Its answer must also hold up: words mixing Latin and Cyrillic
    letters (``Rйunion``, a Latin-1 ``é`` read as Windows-1251) mean it does not.
    """
    import re

    from charset_normalizer import from_bytes  # imported here: start-up stays light

    best = from_bytes(head, cp_isolation=["cp1251"], threshold=0.3).best()
    if best is None:
        return None
    text = str(best)
    words = [w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()]
    cyrillic = [w for w in words if any("\u0400" <= ch <= "\u04ff" for ch in w)]
    mixed = [w for w in cyrillic if any(ch.isascii() for ch in w)]
    if not cyrillic or len(cyrillic) < 0.9 * len(words) or len(mixed) > 0.1 * len(cyrillic):
        return None
    return "cp1251"


def _decode_prefix(head: bytes, encoding: str) -> None:
    """Decode, tolerating a multi-byte character cut at the end of the sniffed prefix."""
    decoder = codecs.getincrementaldecoder(encoding)()
    decoder.decode(head, final=False)
