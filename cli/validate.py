"""elect validate: check many result files against the catalogue of checks."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import UsageError, write_json, write_ndjson
from .console import commit_output, stdout_stream, use_output
from .options import EncodingOpt, InputFormatOpt, JsonFlag, MapOpt, OutputOpt, PresetOpt

LONG_RUN_FILES = 20  # below this a progress bar would only flicker


def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, directories (searched recursively), globs, or - for stdin.",
            show_default=False,
        ),
    ] = None,
    json_flag: JsonFlag = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output: table, json or ndjson (one finding per line); markdown with "
            "--list-checks.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help="Run only these checks (codes, comma-separated or repeated)."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these checks (codes, comma-separated or repeated)."),
    ] = None,
    max_examples: Annotated[
        int,
        typer.Option("--max-examples", min=0, help="Findings shown per check and file (0 = all)."),
    ] = 10,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Reconcile each file's totals with this file's (an official protocol).",
            show_default=False,
        ),
    ] = None,
    list_checks: Annotated[
        bool, typer.Option("--list-checks", help="Print the catalogue of checks and exit.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: one per core)."),
    ] = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
    output_file: OutputOpt = None,
) -> None:
    """Check result files for broken structure, arithmetic that does not add up, and
    implausible figures; one report for the whole batch.

    Exit codes: 0 all files valid, 1 some file has errors (with --strict, warnings
    too), 2 a usage error or an unreadable file.

    Examples: elect validate results/ · elect validate *.csv --json ·
    elect validate a.csv --reference official.json --select reference-mismatch ·
    elect validate uik/ --preset ru-cec
    """
    output = "json" if json_flag else (fmt or "table").strip().lower()
    if output not in ("table", "json", "ndjson", "markdown"):
        raise UsageError(f"unknown format {fmt!r}", hint="use table, json or ndjson")
    use_output(output_file, [*(paths or []), reference, map_file])
    if list_checks:
        _list_checks(output)
        return
    if not paths:
        raise UsageError(
            "no files to validate",
            hint="name files, directories or globs, or - for stdin; --list-checks prints the checks",
        )
    if output == "markdown":
        raise UsageError(
            "--format markdown goes with --list-checks", hint="use table, json or ndjson"
        )
    from elect.core.checks import validate_paths
    from elect.core.io import mapping_for

    from .output import add_inputs

    mapping = mapping_for(map_file, preset)
    stdin = _read_stdin() if "-" in paths else None
    with _Progress() as progress:
        report = validate_paths(
            paths,
            select=select,
            ignore=ignore or (),
            max_examples=max_examples,
            reference=reference,
            encoding=encoding,
            input_format=input_format,
            stdin=stdin,
            jobs=jobs,
            progress=progress,
            mapping=mapping,
            on_discover=add_inputs,
        )
    if output == "json":
        write_json(report.to_dict())
    elif output == "ndjson":
        write_ndjson([f.to_dict() for r in report.files for f in r.findings])
    else:
        from .console import out_console

        console = out_console()
        console.print(status_table(report))
        for block in findings_view(report):
            console.print(block, soft_wrap=True)
    _summary(report)
    code = report.exit_code(strict)
    if code == 2:
        # An unreadable file ends the run with exit 2, yet the report is complete: -o keeps it.
        commit_output()
    raise typer.Exit(code)


def _read_stdin() -> bytes:
    if sys.stdin.isatty():
        from .console import err_console

        err_console().print("elect: reading results from standard input (Ctrl-D to end)")
    from .common import read_stdin

    return read_stdin()


def _summary(report) -> None:
    from .console import notice

    t = report.totals()
    notice(
        f"{t['files']} file(s): {t['valid']} valid, {t['invalid']} invalid, "
        f"{t['unreadable']} unreadable; {t['errors']} error(s), {t['warnings']} warning(s), "
        f"{t['notes']} note(s)",
        "bold" if t["invalid"] or t["unreadable"] else "dim",
    )


def _list_checks(output: str) -> None:
    from elect.core.checks import CHECKS, checks_markdown
    from elect.core.schema import document

    if output == "json":
        write_json(document("checks", checks=[c.to_dict() for c in CHECKS]))
    elif output == "ndjson":
        write_ndjson([c.to_dict() for c in CHECKS])
    elif output == "markdown":
        stdout_stream().write(checks_markdown())
    else:
        from .console import out_console

        out_console().print(checks_table(CHECKS))


class _Progress:
    """A transient bar on stderr, only on a terminal and only for long runs."""

    def __enter__(self):
        self.bar = None
        self.task = None
        self.off = False
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.off:
            return
        if self.bar is None:
            from .console import err_console, settings

            err = err_console()
            if total < LONG_RUN_FILES or not err.is_terminal or settings()["quiet"]:
                self.off = True
                return
            from rich.progress import Progress

            self.bar = Progress(console=err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("validating", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def status_table(report):
    from rich.table import Table

    table = Table(title=None, show_edge=False, pad_edge=False)
    table.add_column("File", overflow="fold")
    table.add_column("Format")
    table.add_column("Rows", justify="right")
    table.add_column("Status")
    table.add_column("Errors", justify="right")
    table.add_column("Warnings", justify="right")
    table.add_column("Notes", justify="right")
    from .names import cell

    style = {"valid": "green", "invalid": "red", "unreadable": "bold red"}
    for f in report.files:
        sev = f.severity_counts()
        table.add_row(
            cell(f.file),
            f.input_format or "-",
            "-" if f.rows is None else f"{f.rows:,}",
            f"[{style[f.status]}]{f.status}[/]",
            str(sev["error"]),
            str(sev["warning"]),
            str(sev["info"]),
        )
    from .layout import Fitted

    return Fitted(table, optional=[1, 6, 2])  # narrow: format, notes and rows go first


def findings_view(report):
    """Findings grouped by file, then by check, with the count behind each capped list."""
    from rich.markup import escape
    from rich.text import Text

    from elect.core.checks import BY_CODE

    from .names import shown

    colour = {"error": "red", "warning": "yellow", "info": "dim"}
    for f in report.files:
        if not f.findings:
            continue
        yield Text("")
        yield Text.from_markup(f"[bold]{escape(shown(f.file))}[/bold] ({f.status})", emoji=False)
        by_code: dict[str, list] = {}
        for x in f.findings:
            by_code.setdefault(x.code, []).append(x)
        for code, items in by_code.items():
            chk = BY_CODE[code]
            total = f.counts.get(code, len(items))
            more = f", {len(items)} shown" if total > len(items) else ""
            yield Text.from_markup(
                f"  [{colour[chk.severity]}]{code}[/] {chk.severity}: "
                f"{escape(chk.title)} ({total}{more})"
            )
            for x in items:
                yield Text("    " + shown(x.message))


def checks_table(checks):
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Code", no_wrap=True)
    table.add_column("Severity")
    table.add_column("Family")
    table.add_column("Check")
    for c in checks:
        table.add_row(c.code, c.severity, c.family, c.title)
    return table


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
