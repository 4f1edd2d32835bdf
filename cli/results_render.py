"""The terminal view of ``elect results``: one row per unit, the long lists cut in the middle."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .layout import Fitted
from .names import cell
from .render import n
from .results import PREVIEW

LONG_LIST = 2 * PREVIEW + 10
SHOWN_OPTIONS = 3  # the options with most votes get a share column each
BASE_LABEL = {
    "valid": "valid votes",
    "cast": "ballots cast",
    "registered": "registered voters",
    "counted": "ballots counted (valid + invalid)",
}
LEVEL_PLURAL = {"region": "regions", "district": "districts", "station": "stations"}


def results_view(res, election, *, show_all: bool = False, console=None) -> Group:
    """The table with as many option columns (up to three) as fit the console."""
    from rich.measure import Measurement

    has_votes = bool(res.frame["leader"].astype(bool).any() or res.frame["tie"].any())
    options = [o for o in res.options if o.kind in res.contest.rules.base_kinds]
    sorted_by = _sorted_option(res)
    if sorted_by is not None:  # the option the list is sorted by comes first
        options = [sorted_by] + [o for o in options if o.id != sorted_by.id]
    rows = list(_rows_to_show(res, show_all))
    k = min(SHOWN_OPTIONS, len(options)) if has_votes else 0
    fewest = 1 if sorted_by is not None and k else 0  # the sorted-by option always shows
    while True:
        t = _table(res, election, rows, options[:k], has_votes)
        if k <= fewest or console is None:
            break
        wide = console.options.update_width(10_000)
        if Measurement.get(console, wide, t).maximum <= console.width:
            break
        k -= 1
    # Still too wide with the fewest options: region, margin, lead, leader and turnout go
    # before a unit name or the count is squeezed (cli/layout.py).
    heads = [str(c.header) for c in t.columns]
    order = ("Region", "Margin pp", "Lead", "Leader", "Turnout")
    optional = [i for h in order for i in range(2, len(heads)) if heads[i] == h]
    return Group(Fitted(t, optional=optional), _footer(res, rows))


def _table(res, election, rows, shown, has_votes: bool) -> Table:
    names = {o.id: o.name for o in res.options}
    title = f"{election.name}: {res.contest.name}" if len(election.contests) > 1 else election.name
    title += f" · results by {res.level}"
    t = Table(title=cell(title), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("#", justify="right", style="dim", no_wrap=True)
    t.add_column(res.level.capitalize(), overflow="fold", min_width=10)
    if res.level != "region":
        t.add_column("Region", overflow="fold", style="dim", min_width=10)
    if has_votes:
        t.add_column("Leader", overflow="fold", min_width=12)
        t.add_column("Lead", justify="right", no_wrap=True)
        t.add_column("Margin pp", justify="right", no_wrap=True)
    for o in shown:
        t.add_column(cell(_short(o.name)), justify="right", no_wrap=True, max_width=12)
    t.add_column("Turnout", justify="right", no_wrap=True)
    t.add_column("Registered", justify="right", no_wrap=True)
    for i, row in rows:
        if row is None:
            t.add_row("", Text(f"… {i:,} more …", style="dim"), *[""] * (len(t.columns) - 2))
            continue
        label = str(row["name"])
        if row.get("district"):
            label = f"{label} · {row['district']}"
        tag = row["abroad"] and "abroad" not in label.lower()
        name = cell(label)
        if tag:
            name.append(" (abroad)", style="dim")
        cells = [str(i + 1), name]
        if res.level != "region":
            cells.append(cell(str(row.get("region") or "")))
        if has_votes:
            if row["tie"]:
                leader = "[yellow]tie[/yellow]"
            else:
                leader = cell(_short(names.get(row["leader"], ""))) if row["leader"] else "—"
            cells += [leader, _p(row["leader_share_pct"]), _pp(row["margin_pp"])]
        cells += [_p(row[f"share:{o.id}"]) for o in shown]
        turnout = _p(row["turnout_pct"]) + ("*" if row["turnout_origin"] == "reported" else "")
        cells += [turnout, n(row["registered"])]
        t.add_row(*cells)
    return t


def _sorted_option(res):
    if not res.sort or ":" not in res.sort:
        return None
    from elect.core.results_query import find_option

    return find_option(res.options, res.sort.split(":", 1)[1].removesuffix(" (reversed)"))


def _rows_to_show(res, show_all: bool):
    """(index, row) pairs; (hidden count, None) where the middle of a long list is cut."""
    total = len(res)
    if show_all or total <= LONG_LIST:
        yield from enumerate(res.flat_rows())
        return
    for i, row in enumerate(res.flat_rows()):
        if i < PREVIEW:
            yield i, row
        elif i == PREVIEW:
            yield total - 2 * PREVIEW, None
        elif i >= total - PREVIEW:
            yield i, row


def _footer(res, rows) -> Text:
    plural = LEVEL_PLURAL.get(res.level, res.level)
    foot = Text(f"{res.units:,} {plural}", style="dim")
    if res.filters:
        foot.append(f"; {len(res):,} where {' and '.join(res.filters)}", style="dim")
    if res.sort:
        foot.append(f"; sorted by {res.sort}", style="dim")
    if any(r is None for _, r in rows):
        foot.append(
            f"; showing the first and last {PREVIEW} (--all for every row, --top N for the "
            "first N, -f csv for the data)",
            style="dim",
        )
    if res.frame["leader"].astype(bool).any():
        foot.append(f"; shares of {BASE_LABEL.get(res.base, res.base)}", style="dim")
    if any(r is not None and r["turnout_origin"] == "reported" for _, r in rows):
        foot.append("; * turnout as published (no counts)", style="dim")
    if all(r is None or r["leader"] is None and not r["tie"] for _, r in rows):
        foot.append("; the file has no votes per option at this level", style="dim")
    return foot


def _short(name: str) -> str:
    """A person's name as a column head: the surname (Latin order) or as written."""
    parts = name.split()
    if name.upper() == name:  # a party list in capitals: its start says most
        return name if len(name) <= 18 else name[:17] + "…"
    return name if len(parts) < 2 or len(name) <= 14 else _surname(parts)


def _surname(parts: list[str]) -> str:
    # Russian protocols write "Путин Владимир Владимирович" (surname first, patronymic last).
    if len(parts) == 3 and parts[2].endswith(("вич", "вна", "ична", "ич")):
        return parts[0]
    return parts[-1]


def _p(v) -> str:
    return "—" if v is None else f"{v:.2f}%"


def _pp(v) -> str:
    return "—" if v is None else f"{v:.2f}"
