"""The ``-o FILE`` of a run, written as the run goes rather than held in memory.

A regular file (or a new name) is written to a temporary file beside it, created at
the first write, and renamed into place when the run ends (:meth:`commit`), with the
checks and modes of :func:`.output.write_bytes`; on an error the temporary file is
removed (:meth:`discard`) and the old file stays whole. Any other target (a device,
a FIFO, ``/dev/stdout``) is held in memory and handed to :func:`.output.write_bytes`
at the end, as before: those are written through, never replaced.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Run


class OutputFile(io.TextIOWrapper):
    """A UTF-8 text stream to NAME, committed or discarded when the run ends."""

    def __init__(self, run: Run, name: str, what: str = "--output") -> None:
        self.target = _Target(run, name, what)
        super().__init__(io.BufferedWriter(self.target, BLOCK), encoding="utf-8", newline="")

    def commit(self) -> None:
        try:
            self.flush()
        finally:
            self.target.commit()

    def discard(self) -> None:
        self.target.discard()


BLOCK = 1 << 16


class _Target(io.RawIOBase):
    def __init__(self, run: Run, name: str, what: str) -> None:
        from .output import _FD_PREFIXES, _is_stream_name

        self.run, self.name, self.what = run, name, what
        self.memory: io.BytesIO | None = None
        self.fd: int | None = None
        self.tmp: str | None = None
        self.failure: OSError | None = None
        self.real: str | None = None
        self.done = False
        if _is_stream_name(name) or name.startswith(_FD_PREFIXES):
            self.memory = io.BytesIO()
            return
        real = os.path.realpath(name)  # a symlink is followed: the link itself stays
        try:
            st = os.stat(real)
        except OSError:
            st = None  # a new name, or an error that commit reports as write_bytes does
        if st is not None and not stat.S_ISREG(st.st_mode):
            self.memory = io.BytesIO()
        else:
            self.real = real

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        n = len(b)
        if self.done:
            return n
        if self.memory is not None:
            return self.memory.write(b)
        if self.failure is not None:
            return n  # reported by commit, with nothing replaced
        try:
            if self.fd is None:
                assert self.real is not None  # no memory buffer: a regular file or a new name
                directory = os.path.dirname(self.real) or "."
                base = os.path.basename(self.real)[:100]
                self.fd, self.tmp = tempfile.mkstemp(
                    prefix=f".{base}.", suffix=".tmp", dir=directory
                )
            view = memoryview(b)
            while view:
                view = view[os.write(self.fd, view) :]
        except OSError as exc:
            self.failure = exc
        return n

    def commit(self) -> None:
        from .output import (
            _error,
            check_not_input,
            check_target,
            check_writable,
            finish_temporary,
            target_stat,
            write_bytes,
        )

        if self.memory is not None:
            data, self.memory, self.done = self.memory.getvalue(), None, True
            write_bytes(self.run, self.name, data, self.what)
            return
        if self.fd is None and self.failure is None:
            self.write(b"")  # an empty result still replaces the file
        real = self.real
        assert real is not None  # no memory buffer: a regular file or a new name
        try:
            check_target(self.name, self.what)
            check_not_input(self.name, self.run.inputs)
            st = target_stat(real, self.name)
            check_writable(real, st, self.name)
            if self.failure is not None:  # the temporary file could not be made or written
                raise _error(self.failure, self.name)
            fd, tmp = self.fd, self.tmp
            assert fd is not None and tmp is not None  # made by the first write, or failed
            self.fd = None  # closed by finish_temporary, whatever happens
            try:
                finish_temporary(fd, tmp, real, st)
            except OSError as exc:
                raise _error(exc, self.name) from exc
            self.tmp = None
        finally:
            self.discard()

    def discard(self) -> None:
        self.done = True
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
        if self.tmp is not None:
            from .output import _unlink

            _unlink(self.tmp)
            self.tmp = None
        self.memory = None
