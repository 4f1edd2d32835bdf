"""Opening an input: path or stdin, compressed or not, and its text encoding.

Nothing here ever writes to, renames or locks the input.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DecodeError, FormatError, UnreadableFileError
from ..model import Note

STDIN_NAME = "<stdin>"
SNIFF_BYTES = 1 << 16


@dataclass
class InputSource:
    """Where the bytes come from: a path, or bytes already read (stdin, tests)."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    compression: str | None = None
    notes: list[Note] = field(default_factory=list)

    @classmethod
    def from_path(cls, path: str | Path) -> InputSource:
        p = Path(path)
        if not p.exists():
            raise UnreadableFileError(
                "no such file", file=str(path), hint="check the path, or use - to read stdin"
            )
        if p.is_dir():
            raise UnreadableFileError(
                "is a directory, not a result file",
                file=str(path),
                hint="name a file inside it (elect validate searches directories)",
            )
        return cls(name=str(path), path=p)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = STDIN_NAME) -> InputSource:
        return cls(name=name, data=data)

    def open_binary(self) -> io.BufferedIOBase:
        """A binary stream of the (decompressed) content."""
        raw = self._open_raw()
        head = _peek(raw, 6)
        kind = _compression_of(head)
        if kind is None:
            return raw
        self.compression = kind
        try:
            if kind == "gzip":
                return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
            if kind == "bz2":
                return bz2.BZ2File(raw)  # type: ignore[return-value]
            if kind == "xz":
                return lzma.LZMAFile(raw)  # type: ignore[return-value]
            zf = zipfile.ZipFile(raw)
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise FormatError(
                    f"zip archive holds {len(members)} files, elect reads one",
                    file=self.name,
                    hint="unzip it and name the result file inside",
                )
            return zf.open(members[0])  # type: ignore[return-value]
        except (OSError, zipfile.BadZipFile, EOFError, lzma.LZMAError) as exc:
            raise UnreadableFileError(
                f"cannot decompress {kind} data: {exc}",
                file=self.name,
                hint="the archive may be truncated; download it again",
            ) from exc

    def read_head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.open_binary() as f:
            try:
                return f.read(n)
            except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as exc:
                raise UnreadableFileError(
                    f"cannot read {self.compression or 'file'} data: {exc}",
                    file=self.name,
                    hint="the file may be truncated or corrupt",
                ) from exc

    def read_all(self) -> bytes:
        with self.open_binary() as f:
            try:
                return f.read()
            except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as exc:
                raise UnreadableFileError(
                    f"cannot read {self.compression or 'file'} data: {exc}",
                    file=self.name,
                    hint="the file may be truncated or corrupt",
                ) from exc

    def _open_raw(self) -> io.BufferedIOBase:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return open(self.path, "rb")  # noqa: SIM115 - closed by the caller's with-block
        except OSError as exc:
            raise UnreadableFileError(
                f"cannot open: {exc.strerror or exc}",
                file=self.name,
                hint="check the file's permissions",
            ) from exc


def _peek(stream, n: int) -> bytes:
    pos = stream.tell()
    head = stream.read(n)
    stream.seek(pos)
    return head


def _compression_of(head: bytes) -> str | None:
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def detect_encoding(head: bytes, name: str, forced: str | None = None) -> tuple[str, Note | None]:
    """Pick the text encoding from the first bytes; report anything but plain UTF-8."""
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
    try:
        text = head.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    if text and cyrillic / letters > 0.3:
        return "cp1251", Note("encoding", "read as Windows-1251 (not UTF-8)", file=name)
    line = head[: utf8_error.start].count(b"\n") + 1
    raise DecodeError(
        f"undecodable bytes: not UTF-8 (byte 0x{head[utf8_error.start]:02x})",
        file=name,
        line=line,
        hint="re-save the file as UTF-8, or pass --encoding (e.g. --encoding cp1251)",
    )


def _decode_prefix(head: bytes, encoding: str) -> None:
    """Decode, tolerating a multi-byte character cut at the end of the sniffed prefix."""
    decoder = codecs.getincrementaldecoder(encoding)()
    decoder.decode(head, final=False)
