"""Vote modes and repeated rows of a long file (see :class:`.long_rows.LongRows`).

A TOTAL mode row stands for its modes; modes alone add up. Rows that repeat a
(unit, contest, option, party, mode) are refused, unless the mapping says
``repeated = "sum"``; candidates on several party lines are added up and said so.
"""

from __future__ import annotations

import re

from ..errors import FormatError
from .row_codes import _label, group_codes, per_label

# Mode values that stand for every mode together (MEDSL's TOTAL).
TOTAL_MODE = re.compile(r"^\s*(total( votes)?|all( modes)?)?\s*$", re.IGNORECASE)


class RepeatedRowsError(FormatError):
    """Rows repeat a (unit, contest, option) and nothing in the file explains why.

    ``repeats`` holds (line, first line of its group, unit) for every repeating row:
    validate lists them as findings, as many as report counts.
    """

    repeats: list[tuple[int, int, str]] = []


def mode_rows(self, df):
    """A mode column: TOTAL rows stand for their modes; modes alone add up."""
    import numpy as np
    import pandas as pd

    if not self.plan.mode or df.empty:
        return df
    total = per_label(df["mode"], lambda m: bool(TOTAL_MODE.match(m)), bool).to_numpy()
    key = self._group_codes(df.assign(mode=""))
    has_total = pd.Series(total).groupby(key).transform("any").to_numpy()
    shadowed = has_total & ~total
    if shadowed.any():
        both = pd.Series(key[has_total]).nunique()
        tot = df.loc[total, "votes"].groupby(key[total]).sum()
        parts = df.loc[shadowed, "votes"].groupby(key[shadowed]).sum()
        differ = int((parts.reindex(tot.index).dropna() != tot.reindex(parts.index)).sum())
        self.note(
            "mode-total",
            f"{both} unit option(s) give a TOTAL row and their modes: the TOTAL is "
            "counted, the modes kept as its parts"
            + (f"; in {differ} the modes do not add up to it" if differ else ""),
            line=df["line"].to_numpy()[shadowed].min(),
            severity="warning" if differ else "info",
        )
    modes = sorted(pd.unique(df["mode"].to_numpy()[~total]))
    for m in modes:
        df[f"c:{m.lower()}"] = np.where(df["mode"].to_numpy() == m, df["votes"], np.nan)
    if len(modes) and not total.all():
        self.interp.decisions.append(
            "votes of the modes " + ", ".join(repr(m) for m in modes) + " are added up"
        )
    df.loc[shadowed, "votes"] = np.nan  # counted in their TOTAL row
    return df


def repeated_rows(self, df):
    """Rows that repeat a (unit, contest, option, party, mode): refused, or summed."""
    import numpy as np
    import pandas as pd

    if df.empty:
        return df
    key = self._group_codes(df)
    line = df["line"].to_numpy()
    first_line = pd.Series(line).groupby(key).transform("min").to_numpy()
    again = line != first_line  # every row after the first of its group
    if again.any():
        n = int(again.sum())
        if self.plan.repeated == "sum":
            self.note(
                "repeated-rows",
                f"{n} row(s) repeat a unit, contest and option given before; added up as "
                'the mapping says (repeated = "sum")',
                line=line[again].min(),
            )
        else:
            first = int(np.flatnonzero(again)[np.argmin(line[again])])
            err = RepeatedRowsError(
                f"{n} row(s) repeat a unit, contest and option given before "
                f"({_label(df, self.unit_cols, first)!r}, {df['option'].iloc[first]!r}; "
                f"lines {first_line[first]} and {line[first]})",
                file=self.file,
                line=int(line[first]),
                hint="name the column that tells them apart in a mapping "
                '(unit = [...] under [columns]), or add them up with repeated = "sum" '
                "under [rows]",
            )
            err.repeats = [
                (int(line[p]), int(first_line[p]), _label(df, self.unit_cols, int(p)))
                for p in np.flatnonzero(again)
            ]
            raise err
    cand = group_codes([df[c] for c in ("contest", *self.unit_cols, "option")])
    party, parties = pd.factorize(df["party"].to_numpy(dtype=object))
    lines = np.unique(cand * len(parties) + party)  # distinct (candidate, party)
    multi = int((np.bincount(lines // len(parties)) > 1).sum())
    if multi:
        self.note(
            "party-lines",
            f"{multi} candidate(s) in a unit stand on several party lines: "
            "their votes are added up",
            severity="info",
        )
    return df
