"""Writing results to files: never over an input, atomically, and never destroying a node.

- No output (``-o``, ``--export``, ``--plot``) may be an input of the run: every
  input is registered (:func:`add_inputs`) and compared by resolved path and by
  device/inode, so symlinks, ``../`` and hard links are caught.
- A regular file (or a new name) is written to a temporary file beside it and
  renamed into place: the old file stays whole on any error. A replaced file keeps
  its mode; a new one gets the umask's. A symlink is followed, never replaced.
- A character device, a FIFO or ``/dev/stdout`` is written through; ``-`` is stdout.
- A directory or an empty name is a usage error; ENOSPC, EFBIG, EACCES... are one line.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from typing import TYPE_CHECKING

from elect.core.errors import ElectError

if TYPE_CHECKING:
    from .context import Run

# Names that mean a descriptor this process already has: written through, never replaced.
_STDOUT_NAMES = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")
_FD_PREFIXES = ("/dev/fd/", "/proc/self/fd/", "/dev/stderr")


class OutputError(ElectError):
    """The output cannot be written, or would overwrite an input (exit 2)."""


def _identity(name: str) -> tuple[str, tuple[int, int] | None]:
    real = os.path.realpath(name)
    try:
        st = os.stat(name)
        return real, (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        return real, None


def _stdin_identity() -> tuple[int, int] | None:
    """stdin's file when it is a regular file (``elect report - < f.csv -o f.csv``)."""
    try:
        st = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def _same(out: str, inp: str) -> bool:
    if inp == "-":
        ident = _stdin_identity()
        return ident is not None and _identity(out)[1] == ident
    real_out, id_out = _identity(out)
    real_in, id_in = _identity(inp)
    return real_out == real_in or (id_out is not None and id_out == id_in)


def _is_stream_name(name: str) -> bool:
    return name == "-" or name in _STDOUT_NAMES


def check_not_input(out: str, inputs: list[str] | list[str | None]) -> None:
    """Refuse to write over a file elect is reading (``run.inputs``, or given here)."""
    if _is_stream_name(out):
        return
    for name in inputs:
        if name is None or name == "":
            continue
        if _same(out, str(name)):
            raise OutputError(
                "refusing to overwrite an input file of this run",
                file=out,
                hint="choose another output path",
            )


def add_inputs(run: Run, names) -> None:
    """Register inputs of the run; an output already chosen must not be one of them."""
    for name in names:
        if name is None:
            continue
        run.inputs.append(str(name))
        for out, what in run.outputs:
            if not _is_stream_name(out) and _same(out, str(name)):
                raise OutputError(
                    f"refusing to overwrite an input file of this run ({what})",
                    file=out,
                    hint="choose another output path",
                )


def add_output(run: Run, name: str, what: str = "--output") -> None:
    """Check an output name before any work: a usable target that is no input."""
    check_target(name, what)
    check_not_input(name, run.inputs)
    for other, other_what in run.outputs:
        if not _is_stream_name(name) and _same(name, other):
            raise OutputError(
                f"{what} and {other_what} name the same file",
                file=name,
                hint="give each output its own file",
            )
    run.outputs.append((name, what))


def check_target(name: str, what: str = "--output") -> None:
    """A directory or an empty name is a usage error (exit 2)."""
    if name == "":
        raise OutputError(f"{what}: empty file name", hint="name a file, or - for stdout")
    if name == "-":
        return
    if name.endswith(os.sep) or os.path.isdir(name):
        raise OutputError(
            f"{what}: is a directory", file=name, hint="name a file inside it, e.g. DIR/out.json"
        )


def write_bytes(run: Run, name: str, data: bytes, what: str = "--output") -> None:
    """Write DATA to NAME as the module docstring says."""
    check_target(name, what)
    if _is_stream_name(name):
        _to_stdout(data)
        return
    check_not_input(name, run.inputs)
    if name.startswith(_FD_PREFIXES):
        _write_through(name, data)
        return
    real = os.path.realpath(name)  # a symlink is followed: the link itself stays
    st = target_stat(real, name)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{what}: is a directory", file=name, hint="name a file")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(real, data, shown=name)
        return
    check_writable(real, st, name)
    _atomic(real, data, st, shown=name)


def target_stat(real: str, name: str) -> os.stat_result | None:
    """The stat of the file an output replaces; None for a new name."""
    try:
        return os.stat(real)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a name too long, a loop...
        raise _error(exc, name) from exc


def check_writable(real: str, st: os.stat_result | None, name: str) -> None:
    if st is not None and not os.access(real, os.W_OK):
        raise OutputError(
            "cannot write: permission denied", file=name, hint="check the file's permissions"
        )


def finish_temporary(fd: int, tmp: str, path: str, st: os.stat_result | None) -> None:
    """A written temporary file made the file at PATH: the replaced file's mode (and owner,
    where it may be given), synced, closed, and renamed into place."""
    try:
        os.fchmod(fd, (st.st_mode & 0o7777) if st is not None else 0o666 & ~_umask())
        if st is not None:
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except OSError:
                pass  # not ours to give away: the mode is kept at least
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _to_stdout(data: bytes) -> None:
    out = sys.stdout
    buf = getattr(out, "buffer", None)
    if buf is not None:
        out.flush()
        buf.write(data)
        buf.flush()
    else:
        out.write(data.decode("utf-8"))
        out.flush()


def _write_through(path: str, data: bytes, shown: str | None = None) -> None:
    """A device or FIFO: written in place (``/dev/null`` stays ``/dev/null``)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_APPEND", 0))
    except OSError as exc:
        raise _error(exc, shown or path) from exc
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as exc:
        raise _error(exc, shown or path) from exc
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic(path: str, data: bytes, st, shown: str) -> None:
    """A temporary file beside PATH, renamed into place: the old file or the new, never half."""
    directory = os.path.dirname(path) or "."
    base = os.path.basename(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{base[:100]}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _error(exc, shown) from exc
    try:
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        except BaseException:
            os.close(fd)
            raise
        finish_temporary(fd, tmp, path, st)
    except OSError as exc:
        _unlink(tmp)
        raise _error(exc, shown) from exc
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _error(exc: OSError, name: str) -> OutputError:
    import errno

    reasons: dict[int | None, str] = {
        errno.ENOSPC: "no space left on the device",
        errno.EFBIG: "file too large for the file system",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
        errno.ENOENT: "no such directory",
        errno.ENAMETOOLONG: "file name too long",
        errno.EPIPE: "the reader closed the pipe",
    }
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return OutputError(
        f"cannot write: {reason}",
        file=name,
        hint="nothing was changed; free space, fix permissions or choose another path",
    )
