"""elect validate: check many result files against the catalogue of checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .command import Inputs, command
from .common import UsageError, read_stdin, write_json, write_ndjson
from .context import Run
from .options import OutputFormat

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

LONG_RUN_FILES = 20  # below this a progress bar would only flicker


@command(formats=("table", "json", "ndjson", "markdown"))
def validate(
    run: Run,
    inputs: Inputs,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, directories (searched recursively), globs, or - for stdin.",
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
) -> None:
    """Check result files for broken structure, arithmetic that does not add up, and
    implausible figures; one report for the whole batch.

    Exit codes: 0 all files valid, 1 some file has errors (with --strict, warnings
    too), 2 a usage error or an unreadable file.

    Examples: elect validate results/ · elect validate *.csv --json ·
    elect validate a.csv --reference official.json --select reference-mismatch ·
    elect validate uik/ --preset ru-cec
    """
    from .output import add_inputs

    output = run.output_format
    add_inputs(run, [reference])
    if list_checks:
        _list_checks(run)
        return
    if not paths:
        raise UsageError(
            "no files to validate",
            hint="name files, directories or globs, or - for stdin; --list-checks prints the checks",
        )
    if output is OutputFormat.markdown:
        raise UsageError(
            "--format markdown goes with --list-checks", hint="use table, json or ndjson"
        )
    from elect.core.checks import validate_paths
    from elect.core.io import mapping_for

    mapping = mapping_for(inputs.map_file, inputs.preset)
    stdin = read_stdin(run) if "-" in paths else None
    with _Progress(run) as progress:
        report = validate_paths(
            paths,
            select=select,
            ignore=ignore or (),
            max_examples=max_examples,
            reference=reference,
            encoding=inputs.encoding,
            input_format=inputs.input_format,
            sheet=inputs.sheet,
            stdin=stdin,
            jobs=jobs,
            progress=progress,
            mapping=mapping,
            on_discover=lambda names: add_inputs(run, names),
            max_bytes=run.max_bytes,
        )
    if output is OutputFormat.json:
        write_json(run, report.to_dict())
    elif output is OutputFormat.ndjson:
        write_ndjson(run, [f.to_dict() for r in report.files for f in r.findings])
    else:
        console = run.out_console()
        console.print(status_table(report))
        for block in findings_view(report):
            console.print(block, soft_wrap=True)
    _summary(run, report)
    code = report.exit_code(strict)
    if code == 2:
        # An unreadable file ends the run with exit 2, yet the report is complete: -o keeps it.
        run.commit_output()
    raise typer.Exit(code)


def _summary(run: Run, report) -> None:
    t = report.totals()
    run.notice(
        f"{t['files']} file(s): {t['valid']} valid, {t['invalid']} invalid, "
        f"{t['unreadable']} unreadable; {t['errors']} error(s), {t['warnings']} warning(s), "
        f"{t['notes']} note(s)",
        "bold" if t["invalid"] or t["unreadable"] else "dim",
    )


def _list_checks(run: Run) -> None:
    from elect.core.checks import CHECKS
    from elect.core.schema import document

    output = run.output_format
    if output is OutputFormat.json:
        write_json(run, document("checks", checks=[c.to_dict() for c in CHECKS]))
    elif output is OutputFormat.ndjson:
        write_ndjson(run, [c.to_dict() for c in CHECKS])
    elif output is OutputFormat.markdown:
        run.stdout().write(checks_markdown())
    else:
        run.out_console().print(checks_table(CHECKS))


class _Progress:
    """A transient bar on stderr, only on a terminal and only for long runs."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def __enter__(self):
        self.shown: tuple[Progress, TaskID] | None = None  # the bar and its task, once shown
        self.off = False
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.off:
            return
        if self.shown is None:
            err = self.run.err_console()
            if total < LONG_RUN_FILES or not err.is_terminal or self.run.quiet:
                self.off = True
                return
            from rich.progress import Progress

            bar = Progress(console=err, transient=True)
            bar.start()
            self.shown = (bar, bar.add_task("validating", total=total))
        bar, task = self.shown
        bar.update(task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.shown is not None:
            self.shown[0].stop()


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


def checks_markdown() -> str:
    """docs/checks.md: the check reference, generated from the core's catalogue."""
    from elect.core.checks.catalogue import CHECKS, FAMILIES

    S, A, P, R, F = FAMILIES
    lines = [
        "# Checks",
        "",
        "<!-- Generated from elect/core/checks/catalogue.py (elect/cli/validate.py) by "
        "`elect validate --list-checks --format markdown`; do not edit by hand. -->",
        "",
        "`elect validate` runs these checks. Each has a stable code for `--select` and "
        "`--ignore` and in the JSON report. Errors make a file invalid (exit 1); "
        "warnings do so only under `--strict`; info notes say how a figure was read.",
        "",
    ]
    titles = {
        S: "Structure",
        A: "Arithmetic",
        P: "Plausibility",
        R: "Reference totals (`--reference FILE`)",
        F: "Result feeds (NIST SP 1500-100 ERR, Clarity ENR)",
    }
    for family in FAMILIES:
        lines += [f"## {titles[family]}", "", "| Code | Severity | Check |", "|---|---|---|"]
        for c in CHECKS:
            if c.family == family:
                lines.append(f"| `{c.code}` | {c.severity} | {c.title} |")
        lines.append("")
        for c in CHECKS:
            if c.family == family:
                lines += [
                    f"### `{c.code}`",
                    "",
                    f"**{c.title}** ({c.severity}). {c.description}",
                    "",
                    f"Message: `{c.template}`",
                    "",
                ]
    return "\n".join(lines).rstrip() + "\n"


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
