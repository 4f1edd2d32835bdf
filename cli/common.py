"""What every command does around the core: pick the output, load the input, write."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from elect.core.errors import ElectError

from .context import Run
from .options import INPUT_LAYOUTS, OutputFormat


class UsageError(ElectError):
    """A bad combination of options (exit 2)."""


def as_flag(fix: tuple[str, str]) -> str:
    """A core fix (setting, value) as the option that applies it: ``--encoding cp1251``."""
    setting, value = fix
    return f"--{setting.replace('_', '-')} {value}".strip()


@dataclass
class Choice:
    output: OutputFormat
    input_format: str


def resolve_format(fmt: str | None, json_flag: bool, input_format: str = "auto") -> Choice:
    """``--json`` / ``--format`` / ``--input-format`` → what to write and how to read."""
    if input_format not in INPUT_LAYOUTS:
        raise UsageError(
            f"unknown input format {input_format!r}",
            hint=f"use one of {', '.join(INPUT_LAYOUTS)}",
        )
    output = OutputFormat.table
    if fmt:
        f = fmt.strip().lower()
        if f in ("wide", "long"):
            input_format = f
        else:
            try:
                output = OutputFormat(f)
            except ValueError:
                raise UsageError(
                    f"unknown format {fmt!r}",
                    hint="output: table, json, ndjson, csv, markdown; input layout: wide, long",
                ) from None
    if json_flag:
        output = OutputFormat.json
    return Choice(output, input_format)


def load_input(
    run: Run,
    path: str | None,
    *,
    input_format: str = "auto",
    encoding: str | None = None,
    map_file: str | None = None,
    preset: str | None = None,
    rule: str | None = None,
    sheet: str | None = None,
    contest: str | None = None,
):
    """The election in PATH, stdin for ``-``, or the bundled 2022 election for None.

    ``map_file`` (``--map``) or ``preset`` (``--preset``) say which column is what;
    ``rule`` (``--rule``) how every contest is decided; ``sheet`` (``--sheet``) picks
    the sheet of a spreadsheet.
    """
    from elect.core.io import InputSource, bundled_path, load, mapping_for
    from elect.core.rules import override_rule, parse_rule

    from .output import add_inputs

    add_inputs(run, [path, map_file])
    fields = parse_rule(rule, where="--rule") if rule else None  # checked before reading
    mapping = mapping_for(map_file, preset)
    fmt = mapping if mapping is not None else input_format
    src: InputSource
    if path is None:
        if stdin_has_data():  # `cat f.csv | elect contests` would quietly ignore f.csv
            run.notice("note: reading the bundled election; use - to read standard input")
        # Named by the fixture, not the install path, so output is the same everywhere.
        src = InputSource.from_path(bundled_path(), run.max_bytes)
        src.name = f"(bundled) {bundled_path().name}"
    elif path == "-":
        src = InputSource.from_bytes(read_stdin(run), limit=run.max_bytes)
    else:
        src = InputSource.from_path(path, run.max_bytes)
    # With --contest, a long file builds only that contest's frames.
    election = load(src, format=fmt, encoding=encoding, sheet=sheet, contest=contest)
    if fields:
        override_rule(election, fields, "--rule")
    return election


def stdin_has_data() -> bool:
    """Whether stdin is a pipe or a file with bytes ready, seen without reading or waiting.

    A terminal, /dev/null, an empty or closed pipe, or a stream without a descriptor
    (test harnesses) has none."""
    import os
    import stat

    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    if stat.S_ISREG(mode):
        try:
            return os.fstat(fd).st_size > os.lseek(fd, 0, os.SEEK_CUR)
        except OSError:
            return False
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return False
    try:  # the bytes waiting in the pipe (FIONREAD), where the system can tell
        import array
        import fcntl
        import termios

        ready = array.array("i", [0])
        fcntl.ioctl(fd, termios.FIONREAD, ready)
        return ready[0] > 0
    except (ImportError, OSError):
        return False


def read_stdin(run: Run) -> bytes:
    """Standard input, within the byte limit; binary data is refused from the first block.
    A terminal is told where its typing goes."""
    if sys.stdin.isatty():
        run.err_console().print("elect: reading results from standard input (Ctrl-D to end)")
    from elect.core.io.source import STDIN_NAME, read_stream

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes under it (rare test harnesses)
        return sys.stdin.read().encode("utf-8")
    return read_stream(stream, STDIN_NAME, run.max_bytes)


def write_json(run: Run, doc: Any) -> None:
    """One JSON document on stdout or ``-o``, streamed (never a Rich console)."""
    from .json_out import write_json as stream_json

    out = run.stdout()
    stream_json(doc, out)
    out.flush()


def write_ndjson(run: Run, rows: list[dict]) -> None:
    from .names import json_text

    out = run.stdout()
    for row in rows:
        out.write(json_text(json.dumps(row, ensure_ascii=False)))
        out.write("\n")
    out.flush()


def write_csv(run: Run, rows: list[dict]) -> None:
    import csv

    if not rows:
        return
    out = run.stdout()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    out.flush()


def _csv_safe(value: Any) -> Any:
    """Neutralise cells a spreadsheet would run as a formula; numbers stay numbers.

    Control characters are written as visible escapes (``\\x1b``): CSV cannot escape them.
    """
    from .names import visible

    if isinstance(value, (int, float)) or value is None:
        return "" if value is None else value
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    s = visible(value)
    if s and s[0] in "=+-@\t\r":
        return "'" + s
    return s


def write_markdown(run: Run, rows: list[dict]) -> None:
    if not rows:
        return
    cols = list(rows[0].keys())
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in rows:
        cells = ["" if row.get(c) is None else _md_cell(row[c]) for c in cols]
        out.append("| " + " | ".join(cells) + " |")
    stream = run.stdout()
    stream.write("\n".join(out) + "\n")
    stream.flush()


def _md_cell(value: Any) -> str:
    """A markdown cell: control characters visible, markup characters escaped (a name
    holding ``<script>`` or ``[x](https://…)`` stays text in every markdown viewer)."""
    import re

    from .names import visible

    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", visible(value))


def write_rows(run: Run, rows: list[dict], doc: Any) -> bool:
    """Write the run's machine format; returns False for ``table`` (the caller renders it)."""
    output = run.output_format
    if output is OutputFormat.json:
        write_json(run, doc)
    elif output is OutputFormat.ndjson:
        write_ndjson(run, rows)
    elif output is OutputFormat.csv:
        write_csv(run, rows)
    elif output is OutputFormat.markdown:
        write_markdown(run, rows)
    else:
        return False
    return True


def report_from(run: Run, election, *, contest: str | None, base: str | None = None, top: int = 3):
    """Select the contest and tally an election already loaded (stdin can be read once).

    With ``base`` None the contest's own rules decide (a preset may set ``counted``).
    """
    from elect.core.report import build_report, select_contest

    chosen = select_contest(election, contest)
    report = build_report(election, chosen, base=base, top=top)
    tell_notes(run, election.notes, report.discrepancies)
    return report


def tell_notes(run: Run, notes, discrepancies=()) -> None:
    """Loader notes and reported-vs-computed disagreements, on stderr."""
    for note in notes:
        where = ":".join(str(x) for x in (note.file, note.line) if x is not None)
        col = f" [{note.column}]" if note.column else ""
        style = "yellow" if note.severity == "warning" else "dim"
        fix = f"; to change: {as_flag(note.fix)}" if note.fix else ""
        run.notice(f"{note.severity}: {where}{col}: {note.message}{fix}", style)
    for d in discrepancies:
        run.notice(f"disagreement: {d.message}", "yellow")
