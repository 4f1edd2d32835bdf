"""Opening an input: path, FIFO or stdin, compressed or not, and its text encoding.

Nothing here ever writes to, renames or locks the input. Every read that can fail
because of the input (a corrupt archive, a path that cannot be opened, more bytes
than the limit) raises an :class:`~elect.core.errors.InputError`, never an OSError.
"""

from __future__ import annotations

import bz2
import codecs
import errno
import gzip
import io
import lzma
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO, cast

from ..errors import DecodeError, FormatError, InputTooLargeError, UnreadableFileError
from ..limits import BOMB_MIN_BYTES, BOMB_RATIO, default_max_bytes, human_bytes
from ..model import Note
from .encoding import detect_encoding  # noqa: F401 - loaders import it from here

STDIN_NAME = "<stdin>"
SNIFF_BYTES = 1 << 16
CHUNK = 1 << 20
# What a corrupt, truncated, encrypted or unsupported archive raises while it is read.
DECOMPRESSION_ERRORS = (
    OSError,
    EOFError,
    lzma.LZMAError,
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,  # zipfile: "File is encrypted, password required for extraction"
    NotImplementedError,  # zipfile: deflate64, AES and other unsupported methods
)


@dataclass
class InputSource:
    """Where the bytes come from: a regular file, or bytes already read (stdin, a FIFO)."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    compression: str | None = None
    notes: list[Note] = field(default_factory=list)
    # Most bytes read from this input (after decompression): --max-bytes, travelling with
    # the input rather than set for the whole process.
    limit: int = field(default_factory=default_max_bytes)

    @classmethod
    def from_path(cls, path: str | Path, limit: int | None = None) -> InputSource:
        """A regular file is read where it lies; a FIFO or device is read once, as a stream.
        ``limit``: the byte limit (None: :func:`~elect.core.limits.default_max_bytes`)."""
        limit = limit or default_max_bytes()
        name = str(path)
        mode = path_mode(name)
        if stat.S_ISDIR(mode):
            raise UnreadableFileError(
                "is a directory, not a result file",
                file=name,
                hint="name a file inside it (elect validate searches directories)",
            )
        if stat.S_ISREG(mode):
            return cls(name=name, path=Path(name), limit=limit)
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            # A pipe (`<(cat f)`) or a device cannot be re-opened or seeked: read it
            # once, like stdin, within the byte limit.
            try:
                f = open(name, "rb", buffering=0)  # noqa: SIM115 - closed below
            except OSError as exc:
                raise UnreadableFileError(
                    f"cannot open: {why(exc)}", file=name, hint=hint_for(exc)
                ) from exc
            with f:
                return cls(name=name, data=read_stream(f, name, limit), limit=limit)
        kind = "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
        raise UnreadableFileError(
            f"cannot read {kind}", file=name, hint="name a result file (CSV or JSON)"
        )

    @classmethod
    def from_bytes(
        cls, data: bytes, name: str = STDIN_NAME, limit: int | None = None
    ) -> InputSource:
        return cls(name=name, data=data, limit=limit or default_max_bytes())

    def open_binary(self) -> BinaryIO:
        """A binary stream of the (decompressed) content.

        Decompressed streams stop at the byte limit and turn every decompression
        error, wherever in the file it comes, into an UnreadableFileError.
        """
        raw = self._open_raw()
        try:
            head = _peek(raw, 6)
        except OSError as exc:
            raw.close()
            raise UnreadableFileError(
                f"cannot read: {why(exc)}", file=self.name, hint=hint_for(exc)
            ) from exc
        kind = _compression_of(head)
        if kind is None:
            return raw
        self.compression = kind
        counted = _Counted(raw)
        try:
            inner = self._decompressor(kind, counted)
        except (FormatError, InputTooLargeError):
            raw.close()
            raise
        except DECOMPRESSION_ERRORS as exc:
            raw.close()
            raise self._corrupt(kind, exc) from exc
        guarded = _Guarded(inner, counted, self, kind)
        return io.BufferedReader(guarded, buffer_size=1 << 16)

    def _decompressor(self, kind: str, counted: _Counted):
        if kind == "gzip":
            return gzip.GzipFile(fileobj=counted)
        if kind == "bz2":
            return bz2.BZ2File(counted)
        if kind == "xz":
            # LZMAFile's stub asks for IO[bytes]; it only reads, as GzipFile and BZ2File do.
            return lzma.LZMAFile(cast("IO[bytes]", counted))
        zf = zipfile.ZipFile(counted)
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise FormatError(
                f"zip archive holds {len(members)} files, elect reads one",
                file=self.name,
                hint="unzip it and name the result file inside",
            )
        member = members[0]
        if member.flag_bits & 0x1:
            raise UnreadableFileError(
                "the zip archive is encrypted",
                file=self.name,
                hint="unzip it with its password and name the result file",
            )
        if member.file_size > self.limit:
            raise self.too_large(member.file_size)
        return zf.open(member)

    def _corrupt(self, kind: str, exc: BaseException) -> UnreadableFileError:
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        return UnreadableFileError(
            f"cannot decompress {kind} data: {detail}",
            file=self.name,
            hint="the archive is truncated, corrupt, encrypted or uses a method elect does "
            "not read; download it again or unpack it",
        )

    def too_large(self, size: int | None = None) -> InputTooLargeError:
        what = "decompresses to more than" if self.compression else "is larger than"
        return InputTooLargeError(
            f"{what} the limit of {human_bytes(self.limit)}",
            file=self.name,
            hint="raise the limit (or ELECT_MAX_BYTES) if the file is genuine",
            fix=("max_bytes", "2G"),
        )

    def read_head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.open_binary() as f:
            return self._read(f, n)

    def read_all(self) -> bytes:
        """The whole (decompressed) content, within the byte limit."""
        if self.data is None and self.compression is None and self.path is not None:
            try:
                size = self.path.stat().st_size
            except OSError as exc:
                raise UnreadableFileError(
                    f"cannot read: {why(exc)}", file=self.name, hint=hint_for(exc)
                ) from exc
            if size > self.limit:
                raise self.too_large(size)
        with self.open_binary() as f:
            if self.compression is None and self.data is not None:
                refuse_binary(self.data[:SNIFF_BYTES], self.name)
                return self.data
            head = self._read(f, SNIFF_BYTES)
            refuse_binary(head, self.name)
            if self.compression is None:
                # A plain file is read whole in one piece: head + rest would hold the
                # document twice for a moment (200 MB more for a million stations).
                f.seek(0)
                return self._read(f, -1)
            rest = self._read(f, -1)
        return head + rest if rest else head

    def _read(self, f, n: int) -> bytes:
        try:
            return f.read(n)
        except (UnreadableFileError, InputTooLargeError):
            raise
        except DECOMPRESSION_ERRORS as exc:
            if self.compression:
                raise self._corrupt(self.compression, exc) from exc
            if not isinstance(exc, OSError):
                raise  # only a decompressor raises the others; from a plain file, a bug
            raise UnreadableFileError(
                f"cannot read: {why(exc)}", file=self.name, hint=hint_for(exc)
            ) from exc

    def _open_raw(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return open(self.path, "rb")  # noqa: SIM115 - closed by the caller's with-block
        except OSError as exc:
            raise UnreadableFileError(
                f"cannot open: {why(exc)}", file=self.name, hint=hint_for(exc)
            ) from exc


class _Counted(io.RawIOBase):
    """The compressed bytes, counted as the decompressor consumes them."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self.raw.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.consumed += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


class _Guarded(io.RawIOBase):
    """Decompressed bytes within the limit; decompression errors become UnreadableFileError."""

    def __init__(self, inner, counted: _Counted, src: InputSource, kind: str) -> None:
        self.inner = inner
        self.counted = counted
        self.src = src
        self.kind = kind
        self.out = 0
        self.limit = src.limit

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        try:
            data = self.inner.read(len(b))
        except DECOMPRESSION_ERRORS as exc:
            raise self.src._corrupt(self.kind, exc) from exc
        n = len(data)
        self.out += n
        if self.out > self.limit:
            raise self.src.too_large()
        if self.out > BOMB_MIN_BYTES and self.out > BOMB_RATIO * max(self.counted.consumed, 1):
            raise InputTooLargeError(
                f"{self.kind} data expands more than {BOMB_RATIO}-fold: a decompression bomb, "
                "not a result file",
                file=self.src.name,
                hint="unpack it yourself if it is genuine",
            )
        b[:n] = data
        return n

    def close(self) -> None:
        try:
            self.inner.close()
        except DECOMPRESSION_ERRORS:
            pass
        self.counted.close()
        super().close()


def read_stream(f, name: str = STDIN_NAME, limit: int | None = None) -> bytes:
    """Everything a stream (stdin, a FIFO, a device) holds, up to the byte limit.

    Binary data (``/dev/zero``) is refused from its first block, not after the limit.
    """
    limit = limit or default_max_bytes()
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            block = f.read(CHUNK)
        except OSError as exc:
            raise UnreadableFileError(f"cannot read: {why(exc)}", file=name) from exc
        if not block:
            break
        if not chunks and _compression_of(block[:6]) is None:
            refuse_binary(block, name)
        total += len(block)
        if total > limit:
            raise InputTooLargeError(
                f"more than the limit of {human_bytes(limit)}",
                file=name,
                hint="raise the limit (or ELECT_MAX_BYTES) if the input is genuine",
                fix=("max_bytes", "2G"),
            )
        chunks.append(block)
    return b"".join(chunks)


def refuse_binary(head: bytes, name: str) -> None:
    """NUL bytes that are not UTF-16 text: the input is binary (an image, ``/dev/zero``)."""
    sample = head[:4096]
    nul = sample.count(0)
    if not nul or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    # BOM-less UTF-16 (a forced --encoding): the NULs all sit on one side of each pair.
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if (even == 0 or odd == 0) and nul < len(sample) // 2:
        return
    raise DecodeError(
        "binary data, not a text result file",
        file=name,
        hint="elect reads CSV and JSON text, optionally gzip/bz2/xz/zip compressed",
    )


def path_mode(name: str) -> int:
    """``st_mode`` of a path, or an UnreadableFileError that says why in plain words."""
    if name == "":
        raise UnreadableFileError("empty file name", hint="name a result file, or - for stdin")
    try:
        return os.stat(name).st_mode
    except OSError as exc:
        raise UnreadableFileError(why(exc, name), file=name, hint=hint_for(exc)) from exc
    except ValueError as exc:  # an embedded NUL byte
        raise UnreadableFileError("invalid file name", file=repr(name)) from exc


def why(exc: OSError, name: str | None = None) -> str:
    """An OSError in words, without the errno number or a repeated path."""
    code = exc.errno
    if code == errno.ENOENT:
        if name is not None and os.path.islink(name):
            return "dangling symbolic link (its target does not exist)"
        return "no such file"
    if code == errno.ELOOP:
        return "symbolic link loop"
    if code == errno.ENAMETOOLONG:
        return "file name too long"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOTDIR:
        return "a part of the path is not a directory"
    return exc.strerror or str(exc)


def hint_for(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "check the file's permissions"
    if exc.errno == errno.ENAMETOOLONG:
        return "shorten the path"
    return "check the path, or use - to read stdin"


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


def file_stamp(src: InputSource) -> tuple[int, int] | None:
    """The file's size and modification time, to tell that it changed between two
    reads (None when the input is not a file)."""
    if src.path is None:
        return None
    st = src.path.stat()
    return (st.st_size, st.st_mtime_ns)


def check_unchanged(src: InputSource, stamp: tuple[int, int] | None) -> None:
    """Refuse a file read a second time (a part of it, again) that changed since."""
    try:
        now = file_stamp(src)
    except OSError:  # gone since
        raise file_changed(src) from None
    if now != stamp:
        raise file_changed(src)


def file_changed(src: InputSource) -> FormatError:
    return FormatError(
        "the file changed while elect was reading it",
        file=src.name,
        hint="run the command again once the file is complete",
    )
