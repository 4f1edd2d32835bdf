"""Rich renderables for the human view. Machine formats never pass through here."""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .layout import Fitted
from .names import cell, shown

BAR_WIDTH = 20
ORIGIN_MARK = {"reported": "reported", "derived": "derived", "computed": "", None: ""}


def n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def p(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def pp(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+.2f} pp"


def header(report) -> Text:
    e = report.election
    bits = [shown(e.name)]
    if e.date:
        bits.append(shown(e.date))
    bits.append(e.status)
    if len(e.contests) > 1 or report.contest.office not in ("Main contest",):
        bits.append(shown(report.contest.name))
    t = Text(" · ".join(bits), style="bold")
    if e.sources:
        ids = ", ".join(shown(s.id) for s in e.sources[:4])
        more = f" and {len(e.sources) - 4} more" if len(e.sources) > 4 else ""
        t.append(f"\nSources: {ids}{more} (full list with --json)", style="dim")
    elif e.file:
        t.append(f"\nFile: {shown(e.file)}", style="dim")
    return t


def full_report(report) -> Group:
    """Everything ``elect report`` shows, as one renderable (also for --export and --watch)."""
    return Group(
        header(report),
        Text(""),
        outcome_text(report),
        summary_table(report),
        shares_table(report),
        turnout_tables(report),
        Text(""),
        diaspora_table(report),
    )


def summary_table(report) -> Table:
    s = report.summary
    c = s.totals.counts
    t = Table(
        title="National summary", title_justify="left", box=box.SIMPLE_HEAD, show_header=False
    )
    t.add_column("figure")
    t.add_column("value", justify="right", no_wrap=True)
    t.add_column("origin", style="dim")
    t.add_row("Registered voters", n(c["registered"].value), ORIGIN_MARK[c["registered"].origin])
    t.add_row("Ballots cast", n(c["ballots_cast"].value), ORIGIN_MARK[c["ballots_cast"].origin])
    t.add_row("Invalid ballots", n(c["invalid"].value), ORIGIN_MARK[c["invalid"].origin])
    t.add_row("Valid votes", n(s.valid), "sum of options" if s.valid is not None else "")
    rep = f"published {s.reported_turnout}%" if s.reported_turnout is not None else ""
    t.add_row("Turnout", p(s.turnout), rep)
    if s.stations:
        t.add_row("Stations", n(s.stations), "")
    else:
        t.add_row("Units reported", n(s.units), "")
    if s.progress is not None:
        g = s.progress
        share = f"{g.pct}%" if g.pct is not None else ""
        t.add_row(
            f"{g.unit.capitalize()} reporting",
            f"{n(g.reported)} of {n(g.total)}",
            share + (" (as published)" if share else "as published"),
        )
    return t


def outcome_text(report) -> Text:
    o = report.outcome
    t = Text()
    if o.decision == "elected":
        t.append(shown(o.winner_name), style="bold green")
        t.append(
            f" elected in the first round with {p(o.winner_share)} "
            f"(more than {o.threshold_pct.normalize():f}% needed)."
        )
    elif o.decision == "runoff":
        names = [shown(report.contest.option(i).name) for i in o.runoff]
        t.append("Runoff: ", style="bold yellow")
        t.append(
            f"{' vs '.join(names)}; {shown(o.leader_name)} leads with {p(o.winner_share)}, "
            f"short of the {o.threshold_pct.normalize():f}% needed."
        )
    elif o.decision == "plurality":
        t.append(shown(o.winner_name), style="bold green")
        t.append(f" wins by plurality with {p(o.winner_share)}.")
    elif o.decision == "leader":
        t.append(shown(o.leader_name), style="bold")
        t.append(f" leads with {p(o.winner_share)}.")
    elif o.decision == "tie":
        names = [shown(report.contest.option(i).name) for i in o.runoff]
        t.append("Tie: ", style="bold red")
        t.append(" and ".join(names) + f" with {p(o.winner_share)} each.")
    else:
        t.append("No winner can be determined from this file.", style="yellow")
    if o.decision != "undetermined":
        t.append("\n" + rule_line(o), style="dim")
    if o.runner_up and o.decision in ("elected", "runoff", "plurality", "leader"):
        ru = shown(report.contest.option(o.runner_up).name)
        t.append(f"\nMargin over {ru}: {n(o.margin_votes)} votes ({pp(o.margin_pp)}).")
    return t


def rule_line(o) -> str:
    """Which decision rule was applied and where it came from."""
    if o.rule == "unknown":
        return (
            "Decision rule: unknown (stated by no file, preset or mapping); "
            "--rule plurality|absolute|threshold=P decides it."
        )
    if o.rule == "plurality":
        rule = "plurality"
    else:
        rule = f"more than {o.threshold_pct.normalize():f}% of the base, else a runoff"
    source = "the file" if o.rule_source in (None, "file") else o.rule_source
    return f"Decision rule: {rule} (from {source})."


def shares_table(report) -> Fitted:
    base_label = {
        "valid": "valid votes",
        "cast": "ballots cast",
        "registered": "registered voters",
        "counted": "ballots counted (valid + invalid)",
    }
    title = f"Shares of {base_label[report.base]} ({n(report.base_total)})"
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("", no_wrap=True, width=1)
    t.add_column("Option", overflow="fold", ratio=3)
    t.add_column("Party", overflow="fold", style="dim", ratio=3)
    t.add_column("Votes", justify="right", no_wrap=True)
    t.add_column("Share", justify="right", no_wrap=True)
    t.add_column("", no_wrap=True, min_width=BAR_WIDTH // 2)
    for r in report.shares:
        share = r.shown_share
        bar = _bar(share)
        name = cell(r.name, style="bold" if r.winner else "")
        if not r.in_base:
            name.append(" (not in base)", style="dim")
        figure = p(share)
        if r.share is None and r.reported_share is not None:
            figure += "*"
        t.add_row("✔" if r.winner else "", name, cell(r.party or ""), n(r.votes), figure, bar)
    # When narrow, the bar, the party (an empty one first) and the winner's tick go:
    # names and numbers stay (the headline names the winner).
    parties = any(r.party for r in report.shares)
    return Fitted(t, optional=[5, 2, 0] if parties else [2, 5, 0])


def _bar(share: Decimal | None) -> Text:
    if share is None:
        return Text("")
    cells = int((share * 2 * BAR_WIDTH / 100).to_integral_value()) if share > 0 else 0
    full, half = divmod(cells, 2)
    return Text("█" * full + ("▌" if half else ""), style="cyan")


def turnout_tables(report, abroad: bool = False) -> Group:
    """Highest and lowest turnout; with ``abroad`` the units abroad in a table of their
    own (``elect turnout``; the full report has the Diaspora section for them)."""
    te = report.turnout
    parts: list[RenderableType] = []
    sections = [("Highest turnout", te.highest), ("Lowest turnout", te.lowest)]
    if abroad and te.abroad:
        sections.append(("Abroad (not ranked)", te.abroad))
    for title, rows in sections:
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
        t.add_column("Region", overflow="fold")
        t.add_column("Turnout", justify="right", no_wrap=True)
        # Summaries often publish only the percentage: no empty count columns then.
        counts = any(r.registered is not None or r.ballots_cast is not None for r in rows)
        if counts:
            t.add_column("Registered", justify="right", no_wrap=True)
            t.add_column("Cast", justify="right", no_wrap=True)
        t.add_column("", style="dim")
        for r in rows:
            extra = [n(r.registered), n(r.ballots_cast)] if counts else []
            t.add_row(cell(r.name), p(r.turnout), *extra, ORIGIN_MARK[r.origin])
        parts.append(Fitted(t, optional=[len(t.columns) - 1]))
    foot = Text(f"{te.ranked} regions ranked", style="dim")
    if te.abroad and abroad:
        foot.append("; units abroad listed apart, never ranked", style="dim")
    elif te.abroad:
        foot.append("; abroad left out of the ranking (see Diaspora)", style="dim")
    if te.without_turnout:
        missing = ", ".join(shown(x) for x in te.without_turnout)
        foot.append(f"; no turnout for {missing}", style="dim")
    parts.append(foot)
    return Group(*parts)


def diaspora_table(report) -> Group:
    d = report.diaspora
    if not d.present:
        return Group(Text("Diaspora: no units abroad in this file.", style="dim"))
    t = Table(
        title="Diaspora (voting abroad)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=False,
    )
    t.add_column("figure")
    t.add_column("value", justify="right", no_wrap=True)
    t.add_row("Stations", n(d.stations))
    if d.missions is not None:
        t.add_row("Missions", n(d.missions))
    t.add_row("Countries", n(d.countries))
    t.add_row("Registered abroad", n(d.registered))
    t.add_row("Ballots cast abroad", n(d.ballots_cast))
    t.add_row("Turnout abroad", p(d.turnout))
    t.add_row("Share of all ballots", p(d.share_of_ballots))
    parts: list[RenderableType] = [t]
    if d.options:
        o = Table(title="Abroad vs at home", title_justify="left", box=box.SIMPLE_HEAD)
        o.add_column("Option", overflow="fold")
        o.add_column("Votes abroad", justify="right", no_wrap=True)
        o.add_column("Share abroad", justify="right", no_wrap=True)
        o.add_column("Share at home", justify="right", no_wrap=True)
        for r in d.options:
            o.add_row(cell(r.name), n(r.abroad_votes), p(r.abroad_share), p(r.home_share))
        parts.append(Fitted(o))
    else:
        parts.append(Text("Votes per option abroad are not in this file.", style="dim"))
    return Group(*parts)


def contests_table(rows) -> Fitted:
    t = Table(title="Contests", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Contest", overflow="fold")
    t.add_column("Units", justify="right", no_wrap=True)
    t.add_column("Options", justify="right", no_wrap=True)
    t.add_column("Votes", justify="right", no_wrap=True)
    t.add_column("Leader", overflow="fold")
    t.add_column("Share", justify="right", no_wrap=True)
    t.add_column("Margin", justify="right", no_wrap=True)
    for r in rows:
        o = r.outcome
        t.add_row(
            cell(r.contest.name),
            n(r.units),
            n(r.options),
            n(r.total_votes),
            cell(o.leader_name or "—"),
            p(o.winner_share),
            pp(o.margin_pp).replace("+", ""),
        )
    return Fitted(t, optional=[2, 1, 6])  # the counts of units and options, the margin


def vote_type_table(contest, split) -> Fitted:
    types = list(contest.components)
    title = Text(f"{shown(contest.name)}: votes by type")
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Option", overflow="fold")
    t.add_column("Votes", justify="right", no_wrap=True)
    for name in types:
        t.add_column(name.replace("_", " ").capitalize(), justify="right", no_wrap=True)
    for r in split:
        cells = [f"{n(r.by_type[k])} ({p(r.shares[k])})" for k in types]
        name = r.name if r.kind == "candidate" else f"{r.name} [{r.kind.replace('_', ' ')}]"
        t.add_row(cell(name), n(r.votes), *cells)
    return Fitted(t)
