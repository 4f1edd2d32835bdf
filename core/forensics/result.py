"""Shared helpers: JSON-safe conversion, NaN dropping, guarded division."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

FLOAT_DIGITS = 6

CAVEAT = (
    "A statistical signal worth a closer look, not proof of fraud: honest "
    "elections can produce it and a falsified one need not."
)


def to_jsonable(value: Any, digits: int = FLOAT_DIGITS) -> Any:
    """Convert numpy scalars/arrays, tuples and dataclasses to plain JSON types.

    Floats are rounded to ``digits`` decimals; NaN and infinities become None.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_jsonable(getattr(value, f.name), digits) for f in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, digits) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [to_jsonable(v, digits) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, digits) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return None
        return round(x, digits)
    return value


class ResultMixin:
    """Gives frozen result dataclasses a JSON-safe ``to_dict``."""

    def to_dict(self) -> dict[str, Any]:
        out = to_jsonable(self)
        assert isinstance(out, dict)
        return out


def as_float_arrays(*arrays: Any) -> list[np.ndarray]:
    """Coerce inputs to 1-D float64 arrays of one common length."""
    out = [np.asarray(a, dtype=np.float64).ravel() for a in arrays]
    sizes = {a.size for a in out}
    if len(sizes) > 1:
        raise ValueError(f"station arrays differ in length: {sorted(sizes)}")
    return out


def drop_nan(*arrays: Any) -> tuple[list[np.ndarray], int]:
    """Drop rows where any array is NaN/inf; return the arrays and the dropped count."""
    arrs = as_float_arrays(*arrays)
    if not arrs:
        return [], 0
    mask = np.ones(arrs[0].size, dtype=bool)
    for a in arrs:
        mask &= np.isfinite(a)
    dropped = int(mask.size - mask.sum())
    return [a[mask] for a in arrs], dropped


def safe_div(num: ArrayLike, den: ArrayLike) -> np.ndarray:
    """Element-wise num/den with NaN where den == 0 (no warnings)."""
    n = np.asarray(num, dtype=np.float64)
    d = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(n, d).shape, np.nan)
    np.divide(n, d, out=out, where=d != 0)
    return out


def ratio(num: float, den: float) -> float:
    """Scalar num/den, NaN when den == 0."""
    return float(num) / float(den) if den else float("nan")
