"""Votes split by vote type (election day, absentee, early, mail, provisional)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import DataError
from .model import Contest
from .numbers import as_json_number, pct
from .tally import leaf_mask


@dataclass(frozen=True)
class VoteTypeRow:
    option_id: str
    name: str
    kind: str
    votes: int | None
    by_type: dict[str, int | None]
    shares: dict[str, Decimal | None]  # each type's share of the option's votes
    unexplained: int | None  # votes minus the sum of the components

    def to_dict(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "name": self.name,
            "kind": self.kind,
            "votes": self.votes,
            "by_type": self.by_type,
            "share_pct_by_type": {k: as_json_number(v) for k, v in self.shares.items()},
            "unexplained": self.unexplained,
        }


def vote_type_split(contest: Contest) -> list[VoteTypeRow]:
    """Each option's votes by vote type, summed over the leaf units."""
    import numpy as np

    if not contest.components:
        raise DataError(
            f"contest {contest.name!r} has no vote-type columns",
            hint="a split by vote type needs columns such as election_day, absentee, mail",
        )
    leaves = leaf_mask(contest)
    types = list(contest.components)
    tops = np.flatnonzero((contest.unit_frame["level"] == "nation").to_numpy())
    top = int(tops[0]) if len(tops) and not leaves[int(tops[0])] else None

    def total(column) -> int | None:
        """Summed over the leaves; when some leaf lacks it, the nation's own figure
        (as the tally does), else what the leaves give."""
        arr = column.to_numpy(dtype="float64")
        leaf = arr[leaves]
        if top is not None and np.isnan(leaf).any() and not np.isnan(arr[top]):
            return int(arr[top])
        return None if np.isnan(leaf).all() else int(np.nansum(leaf))

    rows = []
    for opt in contest.options:
        votes = total(contest.votes[opt.id])
        by_type: dict[str, int | None] = {}
        for t in types:
            by_type[t] = total(contest.components[t][opt.id])
        known = [v for v in by_type.values() if v is not None]
        unexplained = votes - sum(known) if votes is not None and known else None
        shares = {t: pct(v, votes) for t, v in by_type.items()}
        rows.append(VoteTypeRow(opt.id, opt.name, opt.kind, votes, by_type, shares, unexplained))
    return rows
