"""Compute one statistic per region and rank the regions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .result import CAVEAT, ResultMixin


@dataclass(frozen=True)
class RegionRow(ResultMixin):
    region: str
    n_stations: int
    value: float
    result: dict[str, Any]


@dataclass(frozen=True)
class ByRegionResult(ResultMixin):
    statistic: str
    key: str
    descending: bool
    min_stations: int
    rows: tuple[RegionRow, ...]
    n_regions_skipped: int
    measures: str
    caveat: str


def _lookup(d: Mapping[str, Any], key: str) -> float:
    cur: Any = d
    for part in key.split("."):
        cur = cur[part]
    return float("nan") if cur is None else float(cur)


def by_region(
    regions: np.ndarray,
    statistic: Callable[..., Any],
    arrays: Mapping[str, np.ndarray],
    *,
    key: str,
    kwargs: Mapping[str, Any] | None = None,
    descending: bool = True,
    min_stations: int = 1,
) -> ByRegionResult:
    """Run ``statistic(**arrays_for_region, **kwargs)`` for every region label.

    ``arrays`` maps the statistic's parameter names to station-level arrays
    aligned with ``regions``. ``key`` is a dotted path into the result's
    ``to_dict()`` (e.g. ``"either.excess"`` or ``"anomalous_votes"``) used to
    rank rows; NaN values sort last. Regions with fewer than ``min_stations``
    rows are skipped.
    """
    labels = np.asarray(regions).astype(str).ravel()
    arrs = {k: np.asarray(v).ravel() for k, v in arrays.items()}
    for name, a in arrs.items():
        if a.size != labels.size:
            raise ValueError(f"array {name!r} has {a.size} rows, regions {labels.size}")
    kw = dict(kwargs or {})
    rows: list[RegionRow] = []
    skipped = 0
    for label in np.unique(labels):
        mask = labels == label
        n = int(mask.sum())
        if n < min_stations:
            skipped += 1
            continue
        res = statistic(**{k: a[mask] for k, a in arrs.items()}, **kw)
        d = res.to_dict()
        rows.append(RegionRow(region=str(label), n_stations=n, value=_lookup(d, key), result=d))

    def sort_key(r: RegionRow) -> tuple[int, float]:
        v = r.value
        if v != v:  # NaN last
            return (1, 0.0)
        return (0, -v if descending else v)

    rows.sort(key=sort_key)
    name = getattr(statistic, "__name__", str(statistic))
    return ByRegionResult(
        statistic=name,
        key=key,
        descending=descending,
        min_stations=int(min_stations),
        rows=tuple(rows),
        n_regions_skipped=skipped,
        measures=f"{name} computed separately for each region, ranked by {key}.",
        caveat=CAVEAT + " Regions differ in size, so raw counts and excesses favour large "
        "regions; compare z-scores or shares where possible.",
    )
