"""Writing results to files: atomically, and never over an input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from elect.core.errors import ElectError


class OutputError(ElectError):
    """The output file cannot be written."""


def check_not_input(out: Path, inputs: list[str | None]) -> None:
    """Refuse to write over a file elect is reading."""
    for name in inputs:
        if not name or name == "-":
            continue
        try:
            if out.exists() and out.resolve() == Path(name).resolve():
                raise OutputError(
                    "refusing to overwrite an input file",
                    file=str(out),
                    hint="choose another output path",
                )
        except OSError:
            continue


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside PATH, then rename it into place.

    A crash leaves either the old file or the new one, never half a file.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror or exc}", file=str(path), hint="check the directory"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
