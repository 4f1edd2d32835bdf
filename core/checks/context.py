"""One contest's units as arrays, and where each unit sits in its file (for messages).

The arithmetic and plausibility checks see a contest only through :class:`Units`.
It is built from a loaded contest (:meth:`Units.of_contest`), or straight from the
columns of a plain station table (``plain.py``), which never builds a model; then
``contest`` is None and the checks that need published figures (shares, turnout,
parents, vote types, claims) have nothing to check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from ..model import Contest, Election


class Units:
    """Arrays over a contest's units, shared by the arithmetic and plausibility checks."""

    def __init__(
        self,
        *,
        label: Callable[[int], str],
        level: Any,
        lines: Any,
        reg: Any,
        cast: Any,
        inv: Any,
        option_ids: list[str],
        option_names: dict[str, str],
        V: Any,
        leaves: Any = None,
        contest: Contest | None = None,
        ids: Any = None,
        index: int = 0,
        multi: bool = False,
        line_map: Any = None,
        is_json: bool = False,
    ) -> None:
        import numpy as np

        self.n = len(lines)
        self.label, self.level, self.lines = label, level, lines
        self.reg, self.cast, self.inv = reg, cast, inv
        self.option_ids, self.option_names, self.V = option_ids, option_names, V
        self.contest, self.ids, self.index, self.multi = contest, ids, index, multi
        self.line_map, self.is_json = line_map, is_json
        self._leaves = leaves
        self.complete = ~np.isnan(V).any(axis=1) & (V.shape[1] > 0)
        self.vsum = np.where(self.complete, np.nansum(V, axis=1), np.nan)

    @classmethod
    def of_contest(
        cls, election: Election, contest: Contest, index: int, multi: bool, line_map: Any = None
    ) -> Units:
        import numpy as np

        u = contest.units
        ids = u["unit_id"].astype(str).to_numpy()
        option_ids = [o.id for o in contest.options]
        n = len(u)
        return cls(
            label=lambda i: str(ids[i]),
            level=u["level"].astype(str).to_numpy(),
            lines=u["line"].to_numpy(dtype="float64"),
            reg=u["registered"].to_numpy(dtype="float64"),
            cast=u["ballots_cast"].to_numpy(dtype="float64"),
            inv=u["invalid"].to_numpy(dtype="float64"),
            option_ids=option_ids,
            option_names=_first_names(contest),
            V=contest.votes[option_ids].to_numpy(dtype="float64")
            if option_ids
            else np.zeros((n, 0)),
            contest=contest,
            ids=ids,
            index=index,
            multi=multi,
            line_map=line_map,
            is_json=(election.input_format or "").startswith("json"),
        )

    @property
    def leaves(self):
        """Units with no children in the file."""
        if self._leaves is None:
            from ..tally import leaf_mask

            # A plain station table (no contest) passes its leaves; a model's are computed.
            assert self.contest is not None
            self._leaves = leaf_mask(self.contest)
        return self._leaves

    @cached_property
    def rt(self):
        """Reported turnout per unit as float64 (NaN where none was published)."""
        import numpy as np

        if self.contest is None:
            return np.full(self.n, np.nan)
        col = self.contest.units["reported_turnout"]
        if col.isna().all():  # the usual case; to_numeric over Nones is slow
            return np.full(self.n, np.nan)
        import pandas as pd

        return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")

    def where(self, i: int) -> dict[str, Any]:
        line = self.lines[i]
        shown = None if line != line else int(line)
        if shown is not None and self.line_map is not None:
            shown = self.line_map(shown)
        return {
            "line": shown,
            "path": f"$.contests[{self.index}].units[{i}]" if self.is_json else None,
            "unit": self.label(i),
            "contest": self.contest.name if self.multi and self.contest else None,
        }

    def name_of(self, option_id: str) -> str:
        return self.option_names[option_id]


def _first_names(contest: Contest) -> dict[str, str]:
    names: dict[str, str] = {}
    for o in contest.options:
        names.setdefault(o.id, o.name)
    return names


def contests(election: Election, line_map=None) -> list[Units]:
    multi = len(election.contests) > 1
    return [
        Units.of_contest(election, c, i, multi, line_map) for i, c in enumerate(election.contests)
    ]


def fmt(x: float) -> int | float:
    """A count for a message: whole numbers print without a decimal point."""
    if x != x:
        return x
    return int(x) if float(x).is_integer() else float(x)
