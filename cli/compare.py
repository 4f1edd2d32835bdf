"""elect compare: two elections (or two stages of one count) side by side."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from .command import Inputs, command
from .common import tell_notes, write_rows
from .context import Run

if TYPE_CHECKING:
    from rich.console import RenderableType

LineageOpt = Annotated[
    str | None,
    typer.Option(
        "--lineage",
        help="CSV mapping renamed, split and merged units between the two elections "
        "(columns <later>,<earlier>,relation). Example: --lineage kz-region-lineage.csv",
        show_default=False,
    ),
]


@command(contest=True, decides=True)
def compare(
    run: Run,
    inputs: Inputs,
    file_a: Annotated[str, typer.Argument(help="The earlier election (or the preliminary count).")],
    file_b: Annotated[str, typer.Argument(help="The later election (or the final count).")],
    lineage: LineageOpt = None,
) -> None:
    """Votes, shares and turnout in A and B, the change, and options on one ballot only.

    Units are paired by id, then code, then name (spellings and scripts folded);
    --lineage pairs renamed, split and merged units. Unpaired units are listed.
    For a preliminary and a final count of one election, every changed figure is shown.

    Examples: elect compare kz-2019.json kz-2022.json --lineage lineage.csv ·
    elect compare prelim.json final.json --json
    """
    from elect.core.compare import compare as run_compare
    from elect.core.lineage import read_lineage

    from .output import add_inputs

    add_inputs(run, [lineage])
    # A long file builds only the contest named (compare pairs it by that name in both).
    a = inputs.load(run, file_a)
    b = inputs.load(run, file_b)
    lin = read_lineage(lineage) if lineage else None
    result = run_compare(a, b, lineage=lin, contest=inputs.contest)
    tell_notes(run, [*a.notes, *b.notes])
    for note in result.notes:
        run.notice(f"note: {note}", "yellow")
    if result.unmatched_a or result.unmatched_b:
        run.notice(
            f"unpaired units: {len(result.unmatched_a)} only in A, {len(result.unmatched_b)} "
            "only in B (listed in the output; a --lineage file may pair them)",
            "yellow",
        )
    rows = [_flat(o.to_dict()) for o in result.options]
    if write_rows(run, rows, result.to_dict()):
        return
    run.out_console().print(_view(result))


def _flat(d: dict) -> dict:
    return {k: v for k, v in d.items() if not isinstance(v, (dict, list))}


def _view(r):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .layout import Fitted
    from .names import cell, shown
    from .render import n, p

    def who(e) -> str:
        return " · ".join(shown(x) for x in (e.name, e.date, e.status) if x)

    head = Text(f"A: {who(r.a)}\nB: {who(r.b)}", style="bold")
    parts: list[RenderableType] = [head, Text("")]
    nat = r.nation
    t = Table(title="National", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Figure")
    for col in ("A", "B", "Change"):
        t.add_column(col, justify="right", no_wrap=True)
    for fld, label in (
        ("registered", "Registered voters"),
        ("ballots_cast", "Ballots cast"),
        ("invalid", "Invalid ballots"),
    ):
        t.add_row(
            label, n(getattr(nat.a, fld)), n(getattr(nat.b, fld)), _votes(nat.count_change(fld))
        )
    t.add_row(
        "Turnout" + _origins(nat.a.turnout_origin, nat.b.turnout_origin),
        p(nat.a.turnout),
        p(nat.b.turnout),
        _swing(nat.turnout_change),
    )
    parts.append(Fitted(t, optional=[3]))
    o = Table(title="Options", title_justify="left", box=box.SIMPLE_HEAD)
    o.add_column("Option", overflow="fold", min_width=14, ratio=1)
    for col in ("Votes A", "Votes B", "Change", "Share A", "Share B", "Swing"):
        o.add_column(col, justify="right", no_wrap=True)
    for d in r.options:
        name = cell(d.name)
        if d.present != "both":
            name.append(" [A only]" if d.present == "a_only" else " [B only]", style="dim")
        o.add_row(
            name,
            n(d.votes_a),
            n(d.votes_b),
            _votes(d.votes_change),
            p(d.share_a),
            p(d.share_b),
            _swing(d.pp),
        )
    # Narrow: the vote change, the votes, then the shares go; the swing stays.
    parts.append(Fitted(o, optional=[3, 1, 2, 4, 5]))
    if r.regions:
        g = Table(title="Regions", title_justify="left", box=box.SIMPLE_HEAD)
        g.add_column("Unit (A → B)", overflow="fold", min_width=14, ratio=1)
        g.add_column("Paired by", style="dim")
        for col in ("Turnout A", "Turnout B", "Change"):
            g.add_column(col, justify="right", no_wrap=True)
        for u in r.regions:
            how = u.matched_by if u.relation == "same" else f"{u.matched_by}: {u.relation}"
            change = _swing(u.turnout_change)
            if u.turnout_change is None and (u.a.note or u.b.note):
                change = Text("not combinable", style="dim")
            g.add_row(cell(u.label), cell(how), _turnout(u.a), _turnout(u.b), change)
        parts.append(Fitted(g, optional=[1]))
        parts.append(Text("r = published percentage (origin reported)", style="dim"))
    for side, units in (("A", r.unmatched_a), ("B", r.unmatched_b)):
        if units:
            names = ", ".join(f"{shown(u['name'])} ({shown(u['id'])})" for u in units)
            parts.append(Text(f"Only in {side}, not compared: {names}", style="yellow"))
    parts.append(_changes(r))
    return Group(*parts)


def _changes(r):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from .names import cell

    if not r.revision:
        return Text(f"{len(r.changes)} of {r.compared_figures} figures differ.", style="dim")
    if not r.changes:
        return Text(f"No figure changed ({r.compared_figures} compared).", style="green")
    t = Table(
        title=f"Changed figures ({len(r.changes)} of {r.compared_figures})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for col in ("Unit", "Figure", "A", "B", "Change"):
        t.add_column(col, justify="right" if col in ("A", "B", "Change") else "left")
    for c in r.changes:
        delta = c.delta
        change = _swing(delta) if isinstance(delta, Decimal) else _votes(delta)
        t.add_row(cell(c.unit), cell(c.field), cell(_num(c.a)), cell(_num(c.b)), change)
    return t


def _num(v) -> str:
    return f"{v:,}" if isinstance(v, int) else str(v)


def _turnout(f) -> str:
    from .render import p

    if f.turnout is None and f.note:
        # Not combinable: show each published percentage rather than an average.
        return " / ".join(p(x) for x in f.reported_turnout) + " r"
    return p(f.turnout) + (" r" if f.turnout_origin == "reported" else "")


def _origins(a: str | None, b: str | None) -> str:
    return " (published)" if "reported" in (a, b) else ""


def _votes(v: int | None):
    from rich.text import Text

    if v is None:
        return Text("—")
    style = "green" if v > 0 else "red" if v < 0 else "dim"
    arrow = "▲" if v > 0 else "▼" if v < 0 else "="
    return Text(f"{arrow} {v:+,}", style=style)


def _swing(v: Decimal | None):
    from rich.text import Text

    if v is None:
        return Text("—")
    style = "green" if v > 0 else "red" if v < 0 else "dim"
    arrow = "▲" if v > 0 else "▼" if v < 0 else "="
    return Text(f"{arrow} {v:+.2f} pp", style=style)


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
