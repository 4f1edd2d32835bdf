"""Option names spelled two ways (``Tokayev`` / ``Tokaev``)."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

MAX_NAMES = 300  # pairwise comparison; no real ballot has more options
THRESHOLD = 0.85


def _fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).casefold()
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", s).strip()


def _numbered_apart(a: str, b: str) -> bool:
    """``Candidate 1`` / ``Candidate 2``, ``List A`` / ``List B``: different options."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or ta[:-1] != tb[:-1]:
        return False
    return len(ta[-1]) <= 2 and len(tb[-1]) <= 2


def similar_pairs(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of distinct names that fold to the same text, or nearly (ratio >= 0.85)."""
    names = sorted(set(names))[:MAX_NAMES]
    folded = [_fold(n) for n in names]
    out = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = folded[i], folded[j]
            if a == b:
                out.append((names[i], names[j]))
                continue
            if min(len(a), len(b)) < 5 or _numbered_apart(a, b):
                continue
            if abs(len(a) - len(b)) > 3:
                continue
            if SequenceMatcher(None, a, b).ratio() >= THRESHOLD:
                out.append((names[i], names[j]))
    return out
