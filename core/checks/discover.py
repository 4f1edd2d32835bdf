"""Which files a validate run reads: files, directories (recursively), globs and ``-``.

Entries that cannot be read are kept, with the reason, so each ends as one
"unreadable" row; nothing here opens a file (a FIFO would block the walk).
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable

from ..errors import SelectionError

RESULT_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".xml", ".gz", ".bz2", ".xz", ".zip")


def discover(paths: Iterable[str], problems: dict[str, str] | None = None) -> list[str]:
    """Files, directories (searched recursively for result files), globs, and ``-``.

    A path that does not exist is kept as given, so it ends as unreadable. Entries of a
    directory that cannot be read (a FIFO, a socket, a dangling or looping link, a
    subdirectory without permission) are kept too, with the reason in PROBLEMS. A
    directory or glob that matches no result file is a usage error.
    """
    problems = {} if problems is None else problems
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        mode = _mode(p)
        if mode is not None and stat.S_ISDIR(mode):
            found: list[str] = []
            _walk(p, found, problems, set())
            if not found:
                raise SelectionError(
                    f"{p}: no result files in this directory",
                    hint=f"elect validates files ending {', '.join(RESULT_SUFFIXES)}",
                )
            out.extend(found)
        elif mode is not None or not glob.has_magic(p):
            out.append(p)
        else:
            matches = sorted(glob.glob(p, recursive=True))
            files = [m for m in matches if _mode(m) is None or not stat.S_ISDIR(_mode(m) or 0)]
            if not files:
                raise SelectionError(
                    f"{p}: the pattern matches no file", hint="check the pattern and the folder"
                )
            for m in files:
                reason = _not_a_file(m)
                if reason:
                    problems[m] = reason
            out.extend(files)
    return out


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def _not_a_file(path: str) -> str | None:
    """Why a directory entry cannot be validated, or None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        from ..io.source import why

        return why(exc, path)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a file (name it on its own to read it as a stream)"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def _walk(directory: str, out: list[str], problems: dict[str, str], seen: set) -> None:
    try:
        st = os.stat(directory)
        key = (st.st_dev, st.st_ino)
        if key in seen:
            problems[directory] = "directory loop (a symbolic link to a folder above it)"
            out.append(directory)
            return
        seen.add(key)
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        from ..io.source import why

        problems[directory] = f"cannot list the directory: {why(exc, directory)}"
        out.append(directory)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()  # follows links; a loop is caught by `seen`
        except OSError:
            is_dir = False
        if is_dir:
            _walk(entry.path, out, problems, seen)
            continue
        if not entry.name.lower().endswith(RESULT_SUFFIXES):
            continue
        reason = _not_a_file(entry.path)
        if reason:
            problems[entry.path] = reason
        out.append(entry.path)
