"""elect inspect: what elect would take from a file, and a mapping to start from."""

from __future__ import annotations

import typer

from .command import Inputs, command
from .common import write_rows
from .context import Run
from .options import FileArg


@command()
def inspect(run: Run, inputs: Inputs, file: FileArg = None) -> None:
    """Detected layout, encoding, delimiter, compression, each column's role, the row count,
    and a suggested mapping (save it, edit it, pass it back with --map).

    Examples: elect inspect 2018.csv.zip · elect inspect 2018.csv.zip --preset ru-cec
    """
    from elect.core.inspect import inspect_file
    from elect.core.io import InputSource, bundled_path, mapping_for

    if file == "-":
        from .common import read_stdin

        src = InputSource.from_bytes(read_stdin(run), limit=run.max_bytes)
    else:
        src = InputSource.from_path(file or bundled_path(), run.max_bytes)
    result = inspect_file(
        src,
        encoding=inputs.encoding,
        mapping=mapping_for(inputs.map_file, inputs.preset),
        input_format=inputs.input_format,
        sheet=inputs.sheet,
    )
    doc = result.to_dict()
    if write_rows(run, doc.get("columns") or [], doc):
        return
    from rich import box
    from rich.table import Table

    from .layout import Fitted

    console = run.out_console()
    facts = Table(box=None, show_header=False)
    from .names import cell, visible_lines

    for label, value in (
        ("File", cell(result.file)),
        ("Format", result.format),
        ("Encoding", result.encoding),
        ("Delimiter", repr(result.delimiter) if result.delimiter else "—"),
        ("Compression", result.compression or "none"),
        ("Rows", f"{result.rows:,}" if result.rows is not None else "—"),
    ):
        facts.add_row(label, value)
    console.print(Fitted(facts))
    if result.columns:
        cols = Table(title="Columns", title_justify="left", box=box.SIMPLE_HEAD)
        cols.add_column("Header", overflow="fold", ratio=2)
        cols.add_column("Role", no_wrap=True)
        cols.add_column("Why", overflow="fold", style="dim", ratio=3)
        for c in result.columns:
            cols.add_row(cell(c.header), c.role, cell(c.reason, style="dim"))
        console.print(Fitted(cols))
    interp = result.interpretation
    if interp:
        how = Table(title="Interpretation", title_justify="left", box=None, show_header=False)
        how.add_column(no_wrap=True)
        how.add_column(overflow="fold")
        rule = interp["rule"] + (
            f" (from {interp['rule_source']})" if interp["rule_source"] else ""
        )
        for label, value in (
            ("Layout", f"{interp['layout']}: {interp['reason']}"),
            ("Unit key", " + ".join(interp["unit_key"] or []) or "—"),
            ("Contest key", " + ".join(interp["contest_key"] or []) or "—"),
            ("Vote modes", ", ".join(interp["vote_modes"] or []) or "—"),
            ("Decision rule", rule),
        ):
            how.add_row(label, cell(value))
        for text in interp["decisions"]:
            how.add_row("Decided", cell(text))
        for text in result.notes:
            how.add_row("Rows", cell(text))
        console.print(Fitted(how))
    if result.problem:
        run.notice(f"does not fit: {result.problem}", "yellow")
    if result.mapping:
        console.print("Suggested mapping (--map FILE):")
        out = run.stdout()
        out.write(visible_lines(result.mapping))  # never wrapped: it is meant to be saved
        out.flush()


def register(app: typer.Typer) -> None:
    app.command("inspect")(inspect)
