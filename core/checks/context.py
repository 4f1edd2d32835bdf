"""One contest's units as arrays, and where each unit sits in its file (for messages)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..model import Contest, Election


@dataclass
class Units:
    """Arrays over a contest's units, shared by the arithmetic and plausibility checks."""

    election: Election
    contest: Contest
    index: int
    multi: bool
    line_map: Any = None  # loader line → physical line (quoted line breaks)

    def __post_init__(self) -> None:
        import numpy as np

        u = self.contest.units
        self.n = len(u)
        self.ids = u["unit_id"].astype(str).to_numpy()
        self.level = u["level"].astype(str).to_numpy()
        self.lines = u["line"].to_numpy(dtype="float64")
        self.reg = u["registered"].to_numpy(dtype="float64")
        self.cast = u["ballots_cast"].to_numpy(dtype="float64")
        self.inv = u["invalid"].to_numpy(dtype="float64")
        self.option_ids = [o.id for o in self.contest.options]
        self.V = (
            self.contest.votes[self.option_ids].to_numpy(dtype="float64")
            if self.option_ids
            else np.zeros((self.n, 0))
        )
        self.complete = ~np.isnan(self.V).any(axis=1) & (self.V.shape[1] > 0)
        self.vsum = np.where(self.complete, np.nansum(self.V, axis=1), np.nan)
        self.is_json = (self.election.input_format or "").startswith("json")

    @cached_property
    def rt(self):
        """Reported turnout per unit as float64 (NaN where none was published)."""
        import numpy as np
        import pandas as pd

        col = self.contest.units["reported_turnout"]
        if col.isna().all():  # the usual case; to_numeric over Nones is slow
            return np.full(self.n, np.nan)
        return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")

    def where(self, i: int) -> dict[str, Any]:
        line = self.lines[i]
        shown = None if line != line else int(line)
        if shown is not None and self.line_map is not None:
            shown = self.line_map(shown)
        return {
            "line": shown,
            "path": f"$.contests[{self.index}].units[{i}]" if self.is_json else None,
            "unit": str(self.ids[i]),
            "contest": self.contest.name if self.multi else None,
        }

    def name_of(self, option_id: str) -> str:
        return self.contest.option(option_id).name


def contests(election: Election, line_map=None) -> list[Units]:
    multi = len(election.contests) > 1
    return [Units(election, c, i, multi, line_map) for i, c in enumerate(election.contests)]


def fmt(x: float) -> int | float:
    """A count for a message: whole numbers print without a decimal point."""
    if x != x:
        return x
    return int(x) if float(x).is_integer() else float(x)
