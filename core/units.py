"""The reporting units of a contest: the unit table and the frame it holds.

Unit frame columns (``UNIT_COLUMNS``) are described in :mod:`elect.core.model`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported lazily: see the module docstring of elect.cli.main
    import pandas as pd

COUNT_FIELDS = ("registered", "ballots_cast", "invalid")
UNIT_COLUMNS = (
    "unit_id",
    "name",
    "level",
    "parent",
    "region",
    "district",
    "abroad",
    "mission",
    "country",
    "code",
    *COUNT_FIELDS,
    "stations",
    "countries",
    "reported_turnout",
    "line",
)


class UnitTable:
    """The reporting units of one contest: one row per unit (``UNIT_COLUMNS``).

    Built by every loader through this one constructor. ``labels`` are unit columns a
    loader builds only when first read (the ids and names of a million stations cost
    more than the whole tally): column → function(frame) → values. ``every_leaf`` says
    the loader knows no unit is another's parent, so the leaf mask needs no search.

    - :attr:`frame`: every column, labels built on first use;
    - :attr:`counts`: the columns as loaded, for the tally, which never shows labels
      (``labels`` columns may not be built yet: use :attr:`frame` for them);
    - :attr:`leaves`: the units with no children in the file, computed once;
    - :meth:`subset`: the table of some rows, with the labels still to be built.
    """

    __slots__ = ("_frame", "_labels", "_leaves")

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        labels: Mapping[str, Callable[[pd.DataFrame], Any]] | None = None,
        every_leaf: bool = False,
        leaves: Any = None,
    ) -> None:
        self._frame = frame
        self._labels = {c: b for c, b in (labels or {}).items() if c not in frame.columns}
        self._leaves: Any = None
        if every_leaf or leaves is not None:
            import numpy as np

            mask = np.ones(len(frame), dtype=bool) if leaves is None else np.array(leaves, bool)
            mask.flags.writeable = False
            self._leaves = mask

    def __len__(self) -> int:
        return len(self._frame)

    @property
    def frame(self) -> pd.DataFrame:
        if self._labels:
            pending, self._labels = self._labels, {}
            for col, build in pending.items():
                at = min(UNIT_COLUMNS.index(col), len(self._frame.columns))
                self._frame.insert(at, col, build(self._frame))
        return self._frame

    @property
    def counts(self) -> pd.DataFrame:
        return self._frame

    def label_at(self, column: str, row: int) -> str:
        """One unit's label (``unit_id``, ``name``…), without building the whole column
        when its builder can give one row (``at``)."""
        build = self._labels.get(column)
        if build is not None and hasattr(build, "at"):
            return str(build.at(row))
        return str(self.frame[column].iloc[row])

    @property
    def pending_labels(self) -> tuple[str, ...]:
        return tuple(self._labels)

    @property
    def leaves(self) -> Any:
        """A read-only boolean array: True for units that are no other unit's parent."""
        if self._leaves is None:
            self._leaves = _leaf_mask(self.frame)
        return self._leaves

    def subset(self, keep: Any) -> UnitTable:
        """The rows where KEEP (a boolean array) holds, renumbered from 0."""
        # Label builders work from the rows they are given, so the subset keeps them; a
        # builder that holds every row's label itself is told which rows are kept.
        labels = {c: b.subset(keep) if hasattr(b, "subset") else b for c, b in self._labels.items()}
        return UnitTable(self._frame[keep].reset_index(drop=True), labels=labels)


def _leaf_mask(units: pd.DataFrame) -> Any:
    import pandas as pd

    parent = units["parent"]
    if isinstance(parent.dtype, pd.CategoricalDtype):
        # The distinct parents only: a million rows share a few thousand districts.
        parents = set(pd.unique(parent.cat.remove_unused_categories().cat.categories.astype(str)))
    else:
        parents = set(parent.astype(str).unique())
    parents -= {""}
    if not parents:
        mask = units["unit_id"].notna().to_numpy()
    else:
        mask = (~units["unit_id"].isin(parents)).to_numpy()
    mask.flags.writeable = False
    return mask


def units_frame(columns: dict[str, Any], index=None) -> pd.DataFrame:
    """Build a unit frame with the canonical columns and dtypes, filling what is absent."""
    import numpy as np
    import pandas as pd

    n = None
    for v in columns.values():
        if hasattr(v, "__len__") and not isinstance(v, str):
            n = len(v)
            break
    n = n or 0
    data: dict[str, Any] = {}
    for col in UNIT_COLUMNS:
        v = columns.get(col)
        if col in ("abroad",):
            data[col] = np.zeros(n, dtype=bool) if v is None else np.asarray(v, dtype=bool)
        elif col in (*COUNT_FIELDS, "stations", "countries", "line"):
            data[col] = np.full(n, np.nan) if v is None else pd.to_numeric(v, errors="raise")
            data[col] = np.asarray(data[col], dtype="float64")
        elif col == "reported_turnout":
            data[col] = [None] * n if v is None else list(v)
        else:
            data[col] = [""] * n if v is None else v
    frame = pd.DataFrame(data, index=index)
    for col in ("level", "region", "district", "parent", "country", "mission"):
        v = columns.get(col)
        if (
            isinstance(v, pd.Categorical)
            and v.categories.dtype == "string"
            and not (v.codes < 0).any()
        ):
            continue  # built as categories already (the canonical JSON reader)
        frame[col] = frame[col].astype("string").fillna("").astype("category")
    frame["unit_id"] = frame["unit_id"].astype("string")
    frame["name"] = frame["name"].astype("string")
    frame["code"] = frame["code"].astype("string").fillna("")
    return frame
