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
            hint="--by vote-type needs columns such as election_day, absentee, mail",
        )
    leaves = leaf_mask(contest)
    types = list(contest.components)
    rows = []
    for opt in contest.options:
        total_arr = contest.votes[opt.id].to_numpy(dtype="float64")[leaves]
        votes = None if np.isnan(total_arr).all() else int(np.nansum(total_arr))
        by_type: dict[str, int | None] = {}
        for t in types:
            arr = contest.components[t][opt.id].to_numpy(dtype="float64")[leaves]
            by_type[t] = None if np.isnan(arr).all() else int(np.nansum(arr))
        known = [v for v in by_type.values() if v is not None]
        unexplained = votes - sum(known) if votes is not None and known else None
        shares = {t: pct(v, votes) for t, v in by_type.items()}
        rows.append(VoteTypeRow(opt.id, opt.name, opt.kind, votes, by_type, shares, unexplained))
    return rows
