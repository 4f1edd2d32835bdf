"""elect reconcile: several sources for one election, figure by figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .command import Inputs, command
from .common import tell_notes, write_rows
from .context import Run
from .exit_codes import ExitCode

if TYPE_CHECKING:
    from rich.console import RenderableType

RoleOpt = Annotated[
    list[str] | None,
    typer.Option(help="A FILE to treat in this role (repeatable).", show_default=False),
]


@command(contest=True)
def reconcile(
    run: Run,
    inputs: Inputs,
    files: Annotated[
        list[str],
        typer.Argument(help="Two or more result files for the same election, one per source."),
    ],
    official: Annotated[
        list[str] | None,
        typer.Option(
            "--official",
            help="The file that is the commission's (else the one whose JSON says "
            '"role": "official"). Example: --official cec.json',
            show_default=False,
        ),
    ] = None,
    exit_poll: Annotated[
        list[str] | None,
        typer.Option(
            "--exit-poll",
            help="A file that is an exit poll (repeatable). Example: --exit-poll poll.json",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list the figures every source agrees on.")
    ] = False,
) -> None:
    """Each figure as every source prints it, the consensus, and what each slip is.

    The consensus is the official source's value where one is marked, else the
    value most sources print. Disagreements are classified: digit_typo,
    transposition, rounding, magnitude, row_shift, exit_poll_quoted, unexplained.
    Exits 1 when any source disagrees with the consensus.

    Example: elect reconcile cec.json kazinform.json poll.json --exit-poll poll.json
    """
    from elect.core.reconcile import reconcile as reconcile_sources

    elections, roles = [], []
    for f in files:
        # Each source is read whole: the contest is paired by name across them.
        e = inputs.load(run, f, contest=False)
        role = e.role
        if f in (official or []):
            role = "official"
        if f in (exit_poll or []):
            role = "exit_poll"
        elections.append(e)
        roles.append(role)
        tell_notes(run, e.notes)
    result = reconcile_sources(elections, roles, contest=inputs.contest)
    for note in result.notes:
        run.notice(f"note: {note}", "yellow")
    # One row per disagreement, or one for a figure without any.
    rows = [_flat(r, d) for r in result.rows for d in (r.disagreements or (None,))]
    if write_rows(run, rows, result.to_dict()):
        _exit(run, result)
        return
    run.out_console().print(_view(result, show_all))
    _exit(run, result)


def _exit(run: Run, result) -> None:
    counts = {k: v for k, v in result.counts().items() if v}
    summary = ", ".join(f"{v} {k}" for k, v in counts.items()) or "none"
    run.notice(f"{len(result.rows)} figures, {len(result.faults)} disagreements: {summary}", "dim")
    if result.faults:
        raise typer.Exit(ExitCode.FINDINGS)


def _flat(r, d) -> dict:
    row = {
        "unit": r.unit,
        "field": r.field,
        "consensus": r.to_dict()["consensus"],
        "basis": r.basis,
        "source": d.source if d else None,
        "value": d.to_dict()["value"] if d else None,
        "kind": d.kind if d else None,
        "detail": d.detail if d else None,
    }
    return row


def _view(result, show_all: bool):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .layout import Fitted
    from .names import cell, shown

    roles = ", ".join(f"{shown(s.label)} ({s.role})" for s in result.sources)
    parts: list[RenderableType] = [Text(f"Sources: {roles}", style="bold")]
    if show_all:
        m = Table(box=box.SIMPLE_HEAD, title="Every figure", title_justify="left")
        m.add_column("Figure", overflow="fold")
        for s in result.sources:
            m.add_column(cell(s.label), justify="right", overflow="fold")
        m.add_column("Consensus", justify="right")
        for r in result.rows:
            bad = {d.source: d for d in r.disagreements}
            cells = [
                Text(_fmt(r.values.get(s.label)), style=_style(bad.get(s.label)))
                for s in result.sources
            ]
            m.add_row(cell(f"{r.unit_name} · {r.field}"), *cells, _fmt(r.consensus))
        parts.append(Fitted(m))
    t = Table(box=box.SIMPLE_HEAD, title="Disagreements", title_justify="left")
    t.add_column("Figure", overflow="fold", ratio=2)
    t.add_column("Source", overflow="fold", ratio=1)
    t.add_column("Printed", justify="right", no_wrap=True)
    t.add_column("Consensus", justify="right", no_wrap=True)
    t.add_column("Kind", no_wrap=True)
    t.add_column("Why", overflow="fold", style="dim", ratio=2)
    for r in result.rows:
        basis = "" if r.basis == "official" else f" ({r.basis})"
        for d in r.disagreements:
            t.add_row(
                cell(f"{r.unit_name} · {r.field}"),
                cell(d.source),
                Text(_fmt(d.value), style=_style(d)),
                _fmt(r.consensus) + basis,
                Text(d.kind, style="yellow" if d.fault else "dim"),
                cell(d.detail),
            )
    if not any(r.disagreements for r in result.rows):
        parts.append(Text(f"All {len(result.rows)} figures agree across the sources.", "green"))
    else:
        parts.append(Fitted(t, optional=[5, 1, 4]))  # narrow: why, source, kind go first
    return Group(*parts)


def _style(d) -> str:
    return "" if d is None else ("bold red" if d.fault else "dim")


def _fmt(v) -> str:
    if v is None:
        return "—"
    if v == v.to_integral_value() and v.as_tuple().exponent >= 0:
        return f"{int(v):,}"
    return str(v)


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile)
