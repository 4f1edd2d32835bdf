"""Running the checks over many files: discovery, one file's pass, and the parallel batch.

One bad file never stops the run: each file ends valid, invalid (with findings)
or unreadable. Nothing here writes to, renames or locks an input file.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import (
    ElectError,
    FormatError,
    InputTooLargeError,
    SelectionError,
    UnreadableFileError,
)
from ..io.long_rows import RepeatedRowsError
from ..io.source import STDIN_NAME, InputSource
from .catalogue import BY_CODE, CHECKS
from .discover import RESULT_SUFFIXES, discover  # noqa: F401 - part of this API
from .findings import INVALID, UNREADABLE, VALID, Collector, FileResult, ValidationReport

# The model checks hold the whole file in memory; above this the structural pass
# (which streams) still runs, and the skip is reported.
MAX_MODEL_BYTES = 1 << 30
PARALLEL_MIN_FILES = 8
# From this size a lone file's structural pass runs in a second process beside the load.
SPLIT_MIN_BYTES = 4 << 20
# Loader notes the structural pass already reports in its own words.
_NOTES_SEEN = {"bom", "encoding", "delimiter", "number-normalised", "blank-rows", "aggregate-row"}


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    max_examples: int = 10
    encoding: str | None = None
    input_format: str = "auto"
    reference: dict[str, Any] | None = None
    split: bool = False  # scan and load one file in two processes (a lone large file)
    plain: bool = True  # try the one-read path for plain station tables first (plain.py)
    mapping: Any = None  # --map/--preset: which column is what (a Mapping)
    sheet: str | None = None  # the sheet of a workbook (default: its first table)
    max_bytes: int | None = None  # --max-bytes (None: the default), for every file


def check_codes(codes: Iterable[str] | None, option: str) -> tuple[str, ...] | None:
    if codes is None:
        return None
    out = tuple(c.strip() for item in codes for c in str(item).split(",") if c.strip())
    unknown = [c for c in out if c not in BY_CODE]
    if unknown:
        raise SelectionError(
            f"unknown check code(s) for {option}: {', '.join(unknown)}",
            hint="the catalogue of checks lists every code (elect validate's list of checks)",
        )
    return out


def validate_source(src: InputSource, opts: Options) -> FileResult:
    """One file's whole pass; never raises for anything the file contains."""
    col = Collector(
        src.name, select=opts.select, ignore=opts.ignore, max_examples=opts.max_examples
    )
    try:
        return _validate(src, opts, col)
    except (UnreadableFileError, InputTooLargeError) as exc:
        return _unreadable(src.name, exc.message, opts)
    except ElectError as exc:
        col.add("unloadable", **_place(exc), reason=exc.message)
    except MemoryError:
        col.add("unloadable", reason="out of memory while checking this file")
    except RecursionError:
        col.add("malformed-file", reason="nested too deeply")
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop the batch
        col.add(
            "unloadable",
            reason=f"elect could not check this file ({type(exc).__name__}: {exc}); "
            "this is a bug in elect, please report it",
        )
    return _result(src.name, col, None, None)


def _place(exc: ElectError) -> dict[str, Any]:
    """Where a load error points, for ``Collector.add``: its line, else its JSON path.

    A canonical JSON or NIST file's error has no line but a JSON path (its column, "$..."):
    that is the finding's path, so the report's location.line stays a number or null (as
    in feeds.py). A CSV column name is no place: it stays the finding's field.
    """
    if exc.line:
        return {"line": exc.line}
    if exc.column is not None and exc.column.startswith("$"):
        return {"path": exc.column}
    return {}


def _validate(src: InputSource, opts: Options, col: Collector) -> FileResult:
    from ..io import load, table_source
    from .structure import scan_file

    src, _ = table_source(src, opts.sheet)  # a spreadsheet's sheet, as CSV text
    size = src.path.stat().st_size if src.path is not None else len(src.data or b"")
    from .feeds import sniff_feed

    try:
        feed_fmt = sniff_feed(src, opts.input_format)
    except FormatError as exc:  # XML, but neither NIST nor Clarity
        col.add("unknown-format", reason=exc.message)
        return _result(src.name, col, None, None)
    if feed_fmt is not None:  # NIST ERR or Clarity: the feed checks, then the model checks
        from .feeds import validate_feed

        election = validate_feed(src, feed_fmt, col, opts.encoding)
        if election is None:
            return _result(src.name, col, feed_fmt, None)
        rows = sum(len(c.unit_frame) for c in election.contests)
        return _model_checks(election, col, opts, None, feed_fmt, rows)
    # The one-read path keeps every count in memory; above MAX_MODEL_BYTES only the
    # streaming structural pass runs.
    plain = opts.plain and opts.encoding is None and opts.input_format == "auto"
    if plain and not opts.reference and opts.mapping is None and size <= MAX_MODEL_BYTES:
        from .plain import validate_plain

        done = validate_plain(
            src, select=opts.select, ignore=opts.ignore, max_examples=opts.max_examples
        )
        if done is not None:
            return _result(src.name, done[0], "wide-csv", done[1])
    if opts.split and src.path is not None and SPLIT_MIN_BYTES <= size <= MAX_MODEL_BYTES:
        scan, loaded = _scan_beside_load(src, opts, col)
    else:
        scan, loaded = scan_file(src, col, opts.encoding, opts.mapping), None
    fmt = scan.layout
    if scan.fatal:
        col.add("checks-skipped", reason="the file does not load; fix the errors above")
        return _result(src.name, col, fmt, scan.rows)
    if size > MAX_MODEL_BYTES:
        col.add(
            "checks-skipped",
            reason=f"{size / 2**30:.1f} GiB: the arithmetic checks need the file in memory; "
            "the structural checks ran in chunks",
        )
        return _result(src.name, col, fmt, scan.rows)
    try:
        if loaded is None:
            election = load(src, format=opts.mapping or opts.input_format, encoding=opts.encoding)
        elif isinstance(loaded, Exception):
            raise loaded
        else:
            election = loaded
    except (UnreadableFileError, InputTooLargeError):
        raise
    except RepeatedRowsError as exc:  # the same rows report refuses, one finding each
        reps = exc.repeats
        col.add_many(
            "duplicate-unit",
            range(len(reps)),
            lambda k: {"line": reps[k][0], "first_line": reps[k][1], "unit": reps[k][2]},
        )
        col.add("checks-skipped", reason=f"the file does not load ({exc.message})")
        return _result(src.name, col, fmt, scan.rows)
    except ElectError as exc:
        errors = col.severity_counts()["error"]
        if errors:
            col.add("checks-skipped", reason=f"the file does not load ({exc.message})")
        else:
            reason = exc.message + (f" (hint: {exc.hint})" if exc.hint else "")
            col.add("unloadable", **_place(exc), field=exc.column, reason=reason)
        return _result(src.name, col, fmt, scan.rows)
    line_map = scan.physical_line if scan.jumps else None
    return _model_checks(election, col, opts, line_map, fmt, scan.rows, scan.claims)


def _model_checks(election, col: Collector, opts: Options, line_map, fmt, rows, claims=None):
    """The checks on the loaded model: loader notes, arithmetic, plausibility, reference."""
    from .arithmetic import check_arithmetic
    from .context import contests
    from .plausibility import check_plausibility
    from .reference import reconcile

    for note in election.notes:
        if note.code == "aggregate-row" and fmt == "long":  # the loader's, not the scan's
            col.add("aggregate-row", line=note.line or None, unit="-", reason=note.message)
        elif note.code not in _NOTES_SEEN:
            col.add("loader-note", line=note.line or None, field=note.column, reason=note.message)
    for units in contests(election, line_map):
        check_arithmetic(units, col, claims if claims is not None else {})
        check_plausibility(units, col)
    if opts.reference is not None:
        reconcile(election, opts.reference, col)
    return _result(col.file, col, election.input_format or fmt, rows)


def _scan_beside_load(src: InputSource, opts: Options, col: Collector):
    """The structural pass in a second process while this one loads the file.

    The two read the same file independently; the load's outcome (an Election or
    the error it raised) is used exactly as if it had come after the pass.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ..io import load
    from .structure import scan_file

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_quiet_worker) as pool:
        future = pool.submit(_scan_worker, src, opts)
        try:
            loaded: Any = load(
                src, format=opts.mapping or opts.input_format, encoding=opts.encoding
            )
        except Exception as exc:  # noqa: BLE001 - raised again once the pass has run
            loaded = exc
        try:
            done = future.result()
        except Exception:  # noqa: BLE001 - the worker died: run the pass here instead
            done = None
    if done is None:  # the pass raised: run it here, so it fails exactly as it would alone
        return scan_file(src, col, opts.encoding, opts.mapping), loaded
    scan, scanned = done
    col.adopt(scanned)
    return scan, loaded


def _scan_worker(src: InputSource, opts: Options):
    from .structure import scan_file

    col = Collector(
        src.name, select=opts.select, ignore=opts.ignore, max_examples=opts.max_examples
    )
    try:
        return scan_file(src, col, opts.encoding, opts.mapping), col
    except Exception:  # noqa: BLE001 - the parent runs the pass again and reports it
        return None


def _result(name: str, col: Collector, fmt: str | None, rows: int | None) -> FileResult:
    status = INVALID if col.severity_counts()["error"] else VALID
    findings = sorted(
        col.findings,
        key=lambda f: (_order[f.code], f.line if isinstance(f.line, int) else 0),
    )
    return FileResult(name, status, fmt, rows, dict(col.counts), findings)


_order = {c.code: i for i, c in enumerate(CHECKS)}


def _unreadable(name: str, reason: str, opts: Options) -> FileResult:
    col = Collector(name, max_examples=opts.max_examples)
    col.add("unreadable-file", reason=reason)
    res = _result(name, col, None, None)
    res.status = UNREADABLE
    return res


def validate_path(
    path: str, opts: Options, stdin: bytes | None = None, problem: str | None = None
) -> FileResult:
    if problem is not None:
        return _unreadable(path, problem, opts)
    if path == "-":
        source = InputSource.from_bytes(stdin or b"", STDIN_NAME, opts.max_bytes)
        return validate_source(source, opts)
    try:
        src = InputSource.from_path(path, opts.max_bytes)
    except UnreadableFileError as exc:
        return _unreadable(path, exc.message, opts)
    return validate_source(src, opts)


def _worker(args: tuple[str, Options, str | None]) -> FileResult:
    path, opts, problem = args  # opts carry the parent's --max-bytes
    return validate_path(path, opts, None, problem)


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle: workers ignore SIGINT (no worker tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def validate_paths(
    paths: Sequence[str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    max_examples: int = 10,
    reference: str | None = None,
    encoding: str | None = None,
    input_format: str = "auto",
    stdin: bytes | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    plain: bool = True,
    mapping: Any = None,
    on_discover: Callable[[list[str]], None] | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
) -> ValidationReport:
    """Validate every file PATHS name; files run in parallel across cores when there are many.

    ``plain=False`` sends every file through the full pass (the one-read path for
    plain station tables is an optimisation that must give the same findings).
    ``mapping`` (a :class:`~elect.core.io.Mapping`, from ``--map`` or ``--preset``) says
    which column is what, for the structural checks and the loader alike.
    ``on_discover`` sees the files found before any is read (the CLI checks that no
    output is one of them). ``max_bytes``: the byte limit of each input (``--max-bytes``).
    """
    sel = check_codes(select, "select")
    ign = check_codes(ignore, "ignore") or ()
    ref_totals = None
    if reference is not None:
        from ..io import load
        from .reference import reference_totals

        ref_totals = reference_totals(load(reference, encoding=encoding, max_bytes=max_bytes))
    problems: dict[str, str] = {}
    files = discover(paths, problems)
    if on_discover is not None:
        on_discover(files)
    workers = jobs or os.cpu_count() or 1
    results: list[FileResult] = []
    parallel = workers > 1 and len(files) >= PARALLEL_MIN_FILES and "-" not in files
    split = workers > 1 and not parallel
    opts = Options(
        sel,
        ign,
        max_examples,
        encoding,
        input_format,
        ref_totals,
        split,
        plain,
        mapping,
        sheet,
        max_bytes,
    )
    if parallel:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, len(files) // (workers * 8))
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker)
        jobs_ = [(f, opts, problems.get(f)) for f in files]
        try:
            for res in pool.map(_worker, jobs_, chunksize=chunk):
                results.append(res)
                if progress:
                    progress(len(results), len(files))
        except BaseException:
            # Ctrl-C: the workers ignore SIGINT, so end them (one may be blocked reading).
            # The pool's feeder may still write to a pipe of an ended worker: that must be
            # an error it swallows, not a SIGPIPE that kills this process before it exits 130.
            import signal

            if hasattr(signal, "SIGPIPE"):
                signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    else:
        for f in files:
            results.append(validate_path(f, opts, stdin, problems.get(f)))
            if progress:
                progress(len(results), len(files))
    enabled = [c.code for c in CHECKS if (sel is None or c.code in sel) and c.code not in ign]
    return ValidationReport(results, enabled, reference)
