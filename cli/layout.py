"""Tables that fit the terminal at any width: names wrap, numbers stay whole.

Rich shrinks a table that is too wide by squeezing its wrapping columns, down to
nothing if need be, and then cutting every column evenly: at 50 columns a shares
table lost its names, at 80 compare's last column lost digits. :class:`Fitted`
decides the widths when the table is drawn, knowing the width it is drawn at:

- a number column (``no_wrap``) is never narrower than its widest cell or header;
- a name column (every other) wraps at spaces, and is never narrower than its
  longest word (up to :data:`LONGEST_WORD`; a longer one folds);
- while that still does not fit, the columns named optional (a bar, an origin
  mark, an empty party column) are left out, in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

# A word longer than this (a URL, a long id) folds rather than pushing numbers off.
LONGEST_WORD = 24


def _texts(table: Table, column: Column) -> list[str]:
    cells = [*([column.header] if table.show_header else []), *column.cells]
    return [c.plain if isinstance(c, Text) else str(c) for c in cells]


def _settle(table: Table, split_headers: bool = False) -> None:
    """Each column's narrowest width; with ``split_headers`` a number column's header
    takes a line per word ("Votes abroad" over two lines), its figures still whole."""
    for column in table.columns:
        texts = _texts(table, column)
        if column.no_wrap:
            if split_headers and table.show_header and isinstance(column.header, str):
                column.header = "\n".join(column.header.split())
                texts = _texts(table, column)
            lines = [line for t in texts for line in t.splitlines()]
            column.min_width = max((cell_len(t) for t in lines), default=0)
        else:
            words = [w for t in texts for line in t.splitlines() for w in line.split()]
            column.min_width = min(max((cell_len(w) for w in words), default=1), LONGEST_WORD)
            column.overflow = "fold"


def _needed(table: Table, console: Console, options: ConsoleOptions) -> int:
    """The narrowest the table can be drawn with every column at its minimum."""
    # Rich's own measure, padding and borders included (no public API gives them).
    wide = options.update_width(10_000)
    least = sum(table._measure_column(console, wide, c).minimum for c in table.columns)
    return least + table._extra_width


class Fitted:
    """A table laid out for the width it is drawn at (see the module docstring)."""

    def __init__(self, table: Table, optional: Sequence[int] = ()) -> None:
        self.table = table
        self.columns = list(table.columns)
        self.optional = list(optional)  # column indexes, the first left out first
        _settle(table)

    def _fit(self, console: Console, options: ConsoleOptions) -> Table:
        width = options.max_width
        table = self.table
        table.columns[:] = self.columns
        dropped: set[int] = set()
        for index in self.optional:
            if _needed(table, console, options) <= width:
                break
            dropped.add(index)
            table.columns[:] = [c for i, c in enumerate(self.columns) if i not in dropped]
        for i, column in enumerate(table.columns):
            column._index = i
        if _needed(table, console, options) > width:
            _settle(table, split_headers=True)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self._fit(console, options)
        yield table
        left_out = [str(c.header) for c in self.columns if c not in table.columns and c.header]
        if left_out:
            names = ", ".join(" ".join(h.split()) for h in left_out)
            yield Text(f"(too narrow to show: {names}; --json has them)", style="dim")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._fit(console, options))
