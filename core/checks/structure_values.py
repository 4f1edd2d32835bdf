"""Findings the structural pass gathers over every chunk of cells and reports at the end:
digit-only identifiers whose leading zeros were lost, and candidate names spelled two
ways; and the first row of each repeated hash (shared with the one-read path)."""

from __future__ import annotations

from itertools import repeat

from .findings import Collector
from .names import similar_pairs


def collect_zeros(zeros: dict, id_cols: dict, cells, keep, line_of) -> None:
    """Per identifier column: how many digit-only values of each length, and how many start with 0."""
    import numpy as np

    kept_all = np.flatnonzero(keep)
    for role in ("station", "district", "code", "region"):
        i = id_cols.get(role)
        if i is None:
            continue
        c = cells[i]
        codes = c.codes[kept_all]
        digit_cat = np.fromiter(map(str.isdecimal, c.cats), bool, len(c.cats))
        digits = digit_cat[codes]
        if not digits.any():
            continue
        codes = codes[digits]
        len_cat = np.minimum(np.fromiter(map(len, c.cats), int, len(c.cats)), 40)
        zero_cat = np.fromiter(map(str.startswith, c.cats, repeat("0")), bool, len(c.cats))
        lens, zero = len_cat[codes], zero_cat[codes]
        st = zeros.setdefault(i, {"n": np.zeros(41, int), "z": np.zeros(41, int), "ex": {}})
        st["n"] += np.bincount(lens, minlength=41)
        st["z"] += np.bincount(lens[zero], minlength=41)
        kept_pos = kept_all[digits]
        for length in np.unique(lens):
            if int(length) not in st["ex"]:
                j = int(np.argmax(lens == length))
                st["ex"][int(length)] = (line_of(int(kept_pos[j])), str(c.cats[codes[j]]))


def option_spellings(groups: dict[str, set[str]], col: Collector) -> None:
    """Candidate names in one contest that differ only by spelling (``Tokayev``/``Tokaev``)."""
    from ..io.options import option_kind

    for _contest, names in groups.items():
        cands = sorted(n for n in names if n and option_kind(n) == "candidate")
        for a, b in similar_pairs(cands):
            col.add("option-spelled-two-ways", name=a, other=b)


def report_leading_zeros(zeros: dict, header: list[str], col: Collector) -> None:
    """Digit-only identifiers shorter than their zero-padded siblings: the zeros were lost."""
    import numpy as np

    for i, st in zeros.items():
        padded = np.flatnonzero(st["z"])
        if not len(padded):
            continue
        full = int(padded.max())
        if full < 2:
            continue
        short = [n for n in range(1, full) if st["n"][n]]
        if not short:
            continue
        total = int(sum(st["n"][n] for n in short))
        example = st["ex"][full][1]
        for n in short:
            line, value = st["ex"][n]
            col.add(
                "leading-zeros-lost",
                line=line,
                field=header[i].strip(),
                count=total if n == short[0] else 0,
                value=value,
                width=full,
                example=example,
            )


def first_same(h):
    """For each position, the first position with the same hash (a stable sort, no hash table)."""
    import numpy as np

    order = np.argsort(h, kind="stable")
    sh = h[order]
    starts = np.flatnonzero(np.concatenate(([True], sh[1:] != sh[:-1])))
    del sh
    group = np.repeat(starts, np.diff(np.append(starts, len(h))))
    first_of = np.empty(len(h), dtype=np.int64)
    first_of[order] = order[group]
    return first_of
