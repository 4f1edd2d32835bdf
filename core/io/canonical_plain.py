"""The unit table of a contest from the columns :mod:`.canonical_bytes` read.

Text stays as words (:class:`~.canonical_bytes.Words`): ids are checked unique and
parents found among them by hash, each match then compared byte for byte; category
columns are grouped by hash and every value compared with its group's first. Ids,
names and codes become Python strings only when a command shows them (labels built on
first use, as the wide reader's station ids are). The frame is the one the exact
reading builds: :func:`tests.test_canonical_plain` holds them equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model import LEVELS, UnitTable
from .canonical_blocks import Words
from .canonical_bytes import NotColumnar
from .canonical_units import COUNT_KEYS, climb


def plain_tables(columns: dict[str, Any], option_ids: list[str]) -> tuple[UnitTable, Any]:
    """The unit table and vote frame, or NotColumnar when the exact reading must decide
    (a repeated id, an unknown parent, a loop: it names the unit)."""
    import pandas as pd

    n = columns["units"]
    ids: Words = columns["id"]
    id_index = pd.Index(ids.hashes())
    if id_index.has_duplicates:
        raise NotColumnar
    parent, parent_rows = words_categorical(columns["parent"])
    blank = np.asarray(parent.categories == "", dtype=bool)
    at = id_index.get_indexer(columns["parent"].hashes()[parent_rows])
    at[blank] = -1
    known = np.flatnonzero(~blank)
    if (at[known] < 0).any() or not same_text(
        ids, at[known], columns["parent"], parent_rows[known]
    ):
        raise NotColumnar
    level = _levels(columns["level"])
    climbed = climb(ids, parent, level, at)
    if climbed is None:
        raise NotColumnar
    leaves = np.ones(n, dtype=bool)
    leaves[at[known]] = False
    units: dict[str, Any] = {
        "level": level,
        "parent": parent,
        "region": climbed[0],
        "district": climbed[1],
        "abroad": columns["abroad"],
        "mission": words_categorical(columns["mission"])[0],
        "country": words_categorical(columns["country"])[0],
    }
    for k in COUNT_KEYS:
        units[k] = columns[k]
    units["reported_turnout"] = pd.Series(np.full(n, None, dtype=object), dtype=object)
    units["line"] = np.full(n, np.nan)
    frame = pd.DataFrame(units, copy=False)
    labels = {
        "unit_id": TextLabels(ids),
        "name": TextLabels(columns["name"], ids),
        "code": TextLabels(columns["code"]),
    }
    votes = pd.DataFrame(
        columns["votes"], index=pd.RangeIndex(n), columns=option_ids, dtype="float64"
    )
    return UnitTable(frame, labels=labels, leaves=leaves), votes


class TextLabels:
    """A label column built on first use from words (ROWS: the units kept, all if
    None); an empty value takes the same unit's value in OR_ELSE (a name its id)."""

    def __init__(self, text: Words, or_else: Words | None = None, rows=None) -> None:
        self.text, self.or_else, self.rows = text, or_else, rows

    def __call__(self, frame) -> Any:
        import pandas as pd

        values = self.text.strings(self.rows)
        if self.or_else is not None:
            empty = (
                self.text.lengths == 0 if self.rows is None else self.text.lengths[self.rows] == 0
            )
            if empty.any():
                other = self.or_else.strings(self.rows)
                values = [
                    o if e else v for v, o, e in zip(values, other, empty.tolist(), strict=True)
                ]
        return pd.array(values, dtype="string")

    def at(self, row: int) -> str:
        """The label of one unit of those this builder covers."""
        i = row if self.rows is None else int(self.rows[row])
        value = self.text[i]
        return value if value or self.or_else is None else self.or_else[i]

    def subset(self, keep) -> TextLabels:
        kept = np.flatnonzero(np.asarray(keep, dtype=bool))
        return TextLabels(self.text, self.or_else, kept if self.rows is None else self.rows[kept])


def words_categorical(text: Words) -> tuple[Any, np.ndarray]:
    """A category column of the values (categories sorted, as the exact reading makes
    them) and, for each category, a unit that holds it."""
    import pandas as pd

    if text.empty():  # the usual mission, country: one blank category
        blank = pd.Index([""], dtype=object).astype("string")
        return pd.Categorical.from_codes(np.zeros(len(text), np.int8), categories=blank), np.zeros(
            1, np.int64
        )
    codes, uniques = pd.factorize(text.hashes())
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    if not text.same(np.arange(len(codes)), first[codes]):
        raise NotColumnar  # two values with one hash (never seen): the exact reading groups
    values = text.strings(first)
    order = sorted(range(len(values)), key=values.__getitem__)
    remap = np.empty(len(order), dtype=codes.dtype)
    remap[order] = np.arange(len(order), dtype=codes.dtype)
    categories = pd.Index([values[i] for i in order], dtype=object).astype("string")
    return pd.Categorical.from_codes(remap[codes], categories=categories), first[order]


def same_text(a: Words, rows_a: np.ndarray, b: Words, rows_b: np.ndarray) -> bool:
    """Whether value a[rows_a[i]] equals b[rows_b[i]] for every i."""
    if not (a.lengths[rows_a] == b.lengths[rows_b]).all():
        return False
    for c in range(max(len(a.words), len(b.words))):
        wa = a.words[c, rows_a] if c < len(a.words) else 0
        wb = b.words[c, rows_b] if c < len(b.words) else 0
        if not np.array_equal(np.broadcast_to(wa, len(rows_a)), np.broadcast_to(wb, len(rows_a))):
            return False
    return True


def _levels(codes: np.ndarray) -> Any:
    """The level column (codes into LEVELS) as categories sorted by name."""
    import pandas as pd

    present = np.flatnonzero(np.bincount(codes, minlength=len(LEVELS)))
    names = sorted(LEVELS[i] for i in present)
    remap = np.zeros(len(LEVELS), dtype=np.int8)
    remap[[LEVELS.index(v) for v in names]] = np.arange(len(names), dtype=np.int8)
    return pd.Categorical.from_codes(
        remap[codes], categories=pd.Index(names, dtype=object).astype("string")
    )
