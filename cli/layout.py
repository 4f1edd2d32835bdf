"""Tables that fit the terminal at any width: names wrap, numbers stay whole.

Rich shrinks a table that is too wide by squeezing its wrapping columns, down to
nothing if need be, and then cutting every column evenly: at 50 columns a shares
table lost its names, at 80 compare's last column lost digits. :class:`Fitted`
decides the widths when the table is drawn, knowing the width it is drawn at:

- a number column (``no_wrap``) is never narrower than its widest cell or header;
- a name column (every other) wraps at spaces, and is never narrower than its
  longest word, up to a cap (:data:`WORD_CAPS`; a longer word folds);
- while that still does not fit, the columns named optional (a bar, an origin
  mark, an empty party column) are left out, in the order given, with a note.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

# What of Rich's own measuring this module uses (no public API gives a column's padding
# or a table's borders). A Rich without them draws its tables its own way: see Fitted.
RICH_INTERNALS = all(
    hasattr(Table, name) for name in ("_extra_width", "_measure_column", "_get_padding_width")
) and hasattr(Column, "_index")

# A name column's narrowest width is its longest word up to the first cap; when the
# table does not fit even without its optional columns, the next caps are tried (a
# longer word folds), and the last cap before anything is cut.
WORD_CAPS = (16, 12)
LAST_CAP = 8


def _texts(table: Table, column: Column) -> list[str]:
    cells = [*([column.header] if table.show_header else []), *column.cells]
    return [c.plain if isinstance(c, Text) else _plain(str(c)) for c in cells]


def _plain(text: str) -> str:
    """A string cell as Rich shows it: its markup (``[green]valid[/]``) takes no room."""
    from rich.errors import MarkupError

    try:
        return Text.from_markup(text).plain
    except MarkupError:
        return text


def _settle(table: Table, split_headers: bool = False) -> dict[int, int]:
    """Each number column's narrowest width (its widest figure or header line); with
    ``split_headers`` a header takes a line per word ("Votes abroad" over two lines).
    Returns each name column's longest word, by ``id`` of the column."""
    longest = {}
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
            longest[id(column)] = max((cell_len(w) for w in words), default=0)
            column.overflow = "fold"
    return longest


def _needed(table: Table, console: Console, options: ConsoleOptions) -> int:
    """The narrowest the table can be drawn with every column at its minimum."""
    # Rich's own measure, padding and borders included (no public API gives them). Its
    # minimum for a wrapping column is the longest word; ours may be less (a fold).
    wide = options.update_width(10_000)
    least = table._extra_width
    for column in table.columns:
        rich_least = table._measure_column(console, wide, column).minimum
        if not column.no_wrap and column.min_width is not None:
            padding = table._get_padding_width(column._index)
            rich_least = min(rich_least, column.min_width + padding)
        least += rich_least
    return least


class Fitted:
    """A table laid out for the width it is drawn at (see the module docstring)."""

    def __init__(self, table: Table, optional: Sequence[int] = ()) -> None:
        self.table = table
        self.columns = list(table.columns)
        self.optional = list(optional)  # column indexes, the first left out first
        self.longest = _settle(table)

    def _use(self, dropped: int, cap: int) -> None:
        """The columns but the first ``dropped`` optional ones; names no narrower than
        their longest word up to ``cap``."""
        gone = set(self.optional[:dropped])
        self.table.columns[:] = [c for i, c in enumerate(self.columns) if i not in gone]
        for i, column in enumerate(self.table.columns):
            column._index = i  # Rich's padding depends on the position
            if id(column) in self.longest:
                column.min_width = min(self.longest[id(column)], cap)
                column.width = None

    def _fit(self, console: Console, options: ConsoleOptions) -> Table:
        width = options.max_width
        # Whole words first: every optional column goes before a word folds.
        tries = [(k, cap) for cap in WORD_CAPS for k in range(len(self.optional) + 1)]
        for dropped, cap in [*tries, (len(self.optional), LAST_CAP)]:
            self._use(dropped, cap)
            needed = _needed(self.table, console, options)
            if needed <= width:
                self._share(console, options, width - needed)
                return self.table
        _settle(self.table, split_headers=True)  # the last resort before Rich cuts
        return self.table

    def _share(self, console: Console, options: ConsoleOptions, slack: int) -> None:
        """Give the name columns their widths: each its minimum, and the room left over
        shared out (a column never gets more than it would use). Rich's own squeeze is even-handed and
        may push a name column below its minimum, so the widths are decided here."""
        table = self.table
        wide = options.update_width(10_000)
        names = [c for c in table.columns if not c.no_wrap and c.min_width is not None]
        floor = {id(c): c.min_width or 0 for c in names}  # never None: filtered above
        natural = {id(c): table._measure_column(console, wide, c).maximum for c in names}
        want = {
            id(c): max(0, natural[id(c)] - table._get_padding_width(c._index) - floor[id(c)])
            for c in names
        }
        if sum(want.values()) <= slack:
            return  # everything fits as it is: Rich lays it out
        # The columns that want least get all they want first, so short names stay on
        # one line and only the longest wrap; the rest share what is left evenly.
        pending = sorted(names, key=lambda c: want[id(c)])
        while pending and want[id(pending[0])] <= slack:
            column = pending.pop(0)
            column.width = floor[id(column)] + want[id(column)]
            slack -= want[id(column)]
        for i, column in enumerate(pending):
            extra = slack // (len(pending) - i)
            column.width = floor[id(column)] + extra
            slack -= extra

    def _laid_out(self, console: Console, options: ConsoleOptions) -> Table:
        if not RICH_INTERNALS:  # a Rich whose internals moved: its own layout, not a crash
            return self.table
        return self._fit(console, options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self._laid_out(console, options)
        yield table
        left_out = [str(c.header) for c in self.columns if c not in table.columns and c.header]
        if left_out:
            names = ", ".join(" ".join(h.split()) for h in left_out)
            yield Text(f"(too narrow to show: {names}; --json has them)", style="dim")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._laid_out(console, options))
