"""``elect report --watch FILE``: the election-night view.

Polls the file; whenever it changes, re-reads it and re-renders the report with
what changed since the last good version. A file caught half-written keeps the
last good view on screen, with a line saying so. On a terminal the view is
redrawn in place (Rich Live); in a pipe or log each new version is printed once.
Ctrl-C ends it with exit code 130.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from decimal import Decimal

from .context import Run
from .exit_codes import ExitCode


@dataclass
class Change:
    """What moved between two versions of the file."""

    reporting_before: int | None  # None on the first version
    reporting_now: int
    units_total: int
    share_moves: dict[str, Decimal] = field(default_factory=dict)
    turnout_move: Decimal | None = None
    votes_added: int | None = None


def units_reporting(report) -> tuple[int, int]:
    """Units reporting out of all: as the feed publishes it (precincts reporting in a
    Clarity or NIST feed), else leaf units with votes out of all leaf units."""
    from elect.core.tally import leaf_mask

    contest = report.contest
    g = contest.progress
    if g is not None and g.reported is not None and g.total is not None:
        return g.reported, g.total
    leaves = leaf_mask(contest)
    votes = contest.votes[leaves]
    reporting = int(votes.notna().any(axis=1).sum()) if not votes.empty else 0
    return reporting, int(leaves.sum())


def diff(before, after) -> Change:
    rb, _ = units_reporting(before) if before is not None else (None, None)
    ra, total = units_reporting(after)
    moves: dict[str, Decimal] = {}
    votes_added = None
    if before is not None:
        old = {r.option_id: r for r in before.shares}
        for r in after.shares:
            o = old.get(r.option_id)
            if o is not None and o.shown_share is not None and r.shown_share is not None:
                moves[r.option_id] = r.shown_share - o.shown_share
        if before.base_total is not None and after.base_total is not None:
            votes_added = after.base_total - before.base_total
    t_move = None
    if (
        before is not None
        and before.summary.turnout is not None
        and after.summary.turnout is not None
    ):
        t_move = after.summary.turnout - before.summary.turnout
    return Change(rb, ra, total, moves, t_move, votes_added)


def change_panel(report, change: Change, status: str):
    from rich.text import Text

    from .names import shown
    from .render import n, p

    t = Text()
    share = p(
        Decimal(100 * change.reporting_now / change.units_total).quantize(Decimal("0.01"))
        if change.units_total
        else None
    )
    g = report.contest.progress
    label = g.unit.capitalize() if g is not None and g.total is not None else "Units"
    t.append(f"{label} reporting: {n(change.reporting_now)} of {n(change.units_total)} ({share})")
    if change.reporting_before is not None:
        t.append(f", {change.reporting_now - change.reporting_before:+,} since the last version")
    if change.votes_added is not None:
        t.append(f"; {change.votes_added:+,} votes")
    if change.turnout_move is not None:
        t.append(f"; turnout {change.turnout_move:+.2f} pp")
    moved = [(oid, m) for oid, m in change.share_moves.items() if m != 0]
    if moved:
        t.append("\nShares moved: ")
        t.append(
            ", ".join(
                f"{shown(report.contest.option(oid).name)} {'▲' if m > 0 else '▼'}{abs(m):.2f} pp"
                for oid, m in moved
            )
        )
    t.append(f"\n{status}", style="dim")
    return t


def watch(
    run: Run, path: str, *, build, render, interval: float = 1.0, max_updates: int | None = None
) -> int:
    """Re-render on every change of PATH until Ctrl-C (exit 130) or ``max_updates``."""
    from rich.console import Group
    from rich.live import Live

    from .names import shown

    target = run.output_path  # --watch -o FILE: each new view replaces FILE
    run.discard_output()  # written here, not at the end
    console = run.out_console() if target is None else _screen()
    last_sig = None
    last_good = None
    updates = 0
    view = None
    live = (
        Live(console=console, auto_refresh=False, transient=False) if console.is_terminal else None
    )
    try:
        if live:
            live.start()
        while True:
            sig = _signature(path)
            if sig != last_sig:
                last_sig = sig
                stamp = time.strftime("%H:%M:%S")
                try:
                    if sig is not None and not sig[3]:
                        # A FIFO or device would block the loop for good: never opened.
                        raise OSError(f"{path} is not a regular file")
                    report = build(path)
                except Exception as exc:  # noqa: BLE001 - a half-written file is expected
                    from .common import as_flag

                    line = exc.one_line(as_flag) if hasattr(exc, "one_line") else str(exc)
                    msg = shown(line)
                    status = f"{stamp}: could not read the file ({msg}); showing the last good view"
                    if last_good is None:
                        view = Group(_text(status))
                    else:
                        view = Group(change_panel(last_good[0], last_good[1], status), last_good[2])
                else:
                    change = diff(last_good[0] if last_good else None, report)
                    body = render(report)
                    last_good = (report, change, body)
                    view = Group(
                        change_panel(report, change, f"{stamp}: updated from {shown(path)}"), body
                    )
                    updates += 1
                if target is not None:
                    _save(run, view, target)
                if live:
                    live.update(view, refresh=True)
                else:
                    console.print(view)
                    console.print(_text("─" * 40))
                if max_updates is not None and updates >= max_updates:
                    return ExitCode.OK
            time.sleep(interval)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    finally:
        if live:
            live.stop()


def _signature(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, stat.S_ISREG(st.st_mode))


def _text(s: str):
    from rich.text import Text

    return Text(s, style="dim")


def _screen():
    """With -o FILE the terminal still shows the view; FILE gets each version."""
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def _save(run: Run, view, target: str) -> None:
    """The view as plain text, written atomically over the previous version."""
    import io

    from rich.console import Console

    from .output import write_bytes

    buf = io.StringIO()
    width = int(os.environ.get("COLUMNS", "100") or 100)
    Console(file=buf, highlight=False, color_system=None, width=width, emoji=False).print(view)
    write_bytes(run, target, buf.getvalue().encode("utf-8"), "--output")
