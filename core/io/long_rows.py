"""The rows of a long file, interpreted: what each row is, and which rows count.

:class:`LongRows` applies an :class:`~elect.core.io.interpret.Interpretation` to the
rows read by the one table reader. Everything is done on whole columns (factorised
codes), never row by row, and every row that is left out, summed or merged is
counted in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import FormatError
from ..model import Note
from .headers import is_aggregate_name, normalise_header, parse_bool
from .interpret import Interpretation
from .long_repeats import RepeatedRowsError, mode_rows, repeated_rows
from .options import TOTAL_OPTION, UNNAMED_OPTION, total_row_field
from .row_codes import (
    _label,
    dropped_rows,
    group_codes,
    labelled,
    per_combination,
    per_label,
    relabel,
)
from .table import Table

__all__ = ["LongRows", "RepeatedRowsError", "UNIT_WIDE"]

# Headers of unknown columns that read as identifiers of a place.
ID_WORDS = re.compile(
    r"(^|_)(name|id|code|no|nr|num|number|ward|town|precinct|district|area|place|locality|"
    r"city|village|municipality|unit|station|polling|ed|box|split|section|sub)($|_)"
)
UNIT_WIDE = "__all__"  # contest key of unit totals that belong to every contest


class LongRows:
    """The counted rows of a long file, as a frame, plus the unit totals."""

    def __init__(
        self,
        table: Table,
        interp: Interpretation,
        file: str,
        notes: list[Note],
        only: str | None = None,
    ):
        import numpy as np
        import pandas as pd

        plan = interp.plan
        assert plan is not None
        self.interp, self.plan, self.file, self.notes = interp, plan, file, notes
        frame = table.frame
        n = len(frame)
        self.frame = frame
        self.lines = np.arange(n) + Table.LINE_OFFSET
        keep = ~np.asarray(table.blank, dtype=bool) if table.blank is not None else np.ones(n, bool)
        keep = self._drops(keep)  # before the counts: dropped rows may hold anything
        if not keep.all():
            frame = self.frame = frame[keep]
            self.lines = frame.index.to_numpy() + Table.LINE_OFFSET
            keep = np.ones(len(frame), dtype=bool)

        from .wide_columns import line_aware

        votes = line_aware(frame, plan.votes, file, notes) if plan.votes else None
        modes = {normalise_header(h): line_aware(frame, h, file, notes) for h in plan.modes}
        self.frame = frame.reset_index(drop=True)  # rows by position from here on
        if votes is None:
            stack = np.vstack(list(modes.values()))
            votes = np.where(np.isnan(stack).all(axis=0), np.nan, np.nansum(stack, axis=0))
            interp.decisions.append(
                "votes = the sum of the vote-mode columns " + ", ".join(map(repr, plan.modes))
            )
        elif modes:
            stack = np.vstack(list(modes.values()))
            fill = np.isnan(votes) & ~np.isnan(stack).any(axis=0)
            if fill.any():
                votes = np.where(fill, np.nansum(stack, axis=0), votes)
        self.modes = modes

        cols: dict[str, object] = {
            "office": self.text(plan.office),
            "cdistrict": self._contest_parts(),
            "option": self.text(plan.option),
            "party": self.text(plan.party),
            "mode": self.text(plan.mode, str.upper),
            "votes": votes,
            "line": self.lines,
        }
        self.unit_cols = [f"k{i}" for i in range(len(plan.unit))]
        for name, header in zip(self.unit_cols, plan.unit, strict=True):
            cols[name] = self.text(header)
        for name, arr in modes.items():
            cols[f"c:{name}"] = arr
        for role, header in plan.attrs.items():
            if role == "abroad":
                from .wide_columns import abroad_column

                cols["abroad"] = abroad_column(frame[header], file, header, self.lines)
            else:
                cols[role] = self.text(header)
        df = pd.DataFrame(cols)
        self.headers = list(plan.unit)
        unnamed = (df["option"] == "").to_numpy() & keep
        if unnamed.any():
            if UNNAMED_OPTION not in df["option"].cat.categories:
                df["option"] = df["option"].cat.add_categories([UNNAMED_OPTION])
            df.loc[unnamed, "option"] = UNNAMED_OPTION
            self.note(
                "unnamed-option",
                f"{int(unnamed.sum())} row(s) with votes but no option name: counted as "
                f"{UNNAMED_OPTION!r}, outside the valid-vote base",
                line=self.lines[np.flatnonzero(unnamed)[0]],
            )
        mapping = interp.mapping
        if mapping is not None and mapping.blank_options == "zero":
            blank = np.isnan(df["votes"].to_numpy()) & keep
            if blank.any():
                df.loc[blank, "votes"] = 0.0
                self.note(
                    "blank-options",
                    f"{int(blank.sum())} blank vote cell(s) read as no votes (the mapping's "
                    'blank = "zero")',
                    severity="info",
                )
        df, keep = self._unit_totals(df, keep)
        df = df[keep].reset_index(drop=True)
        df = self._aggregates(df)
        df = self._simplify_key(df)
        df = self._unknown_columns(df)
        df = self._select(df, only)
        df = self._repeated(df)
        df = self._modes(df)
        is_total = df["field"].notna().to_numpy()
        self.totals = df[is_total]
        df = df[~is_total].reset_index(drop=True)
        if df.empty:
            raise FormatError("no option rows", file=file, hint="the file holds no votes")
        self.df = df

    # -- columns ------------------------------------------------------------------
    def text(self, header: str | None, then=None):
        """A column's stripped text ("" where blank), worked out once per distinct value.

        Categorical: the rows' codes are factorised here once, and every later step
        (contest keys, unit keys, groups) works on those integers, not on strings."""
        import numpy as np
        import pandas as pd

        if header is None:
            return labelled(np.zeros(len(self.frame), dtype=np.int8), [""], self.frame.index)
        col = self.frame[header]
        uniq: Iterable[object]  # a categorical's categories, or factorize's uniques
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes, uniq = col.cat.codes.to_numpy(), col.cat.categories
        else:
            codes, uniq = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
        labels = [str(u).strip() for u in uniq]
        if then is not None:
            labels = [then(v) for v in labels]
        # Stripping may make two values one ("A " and "A"); code -1 (blank) takes "".
        return labelled(codes, [*labels, ""], col.index)

    def _contest_parts(self):
        """The contest's district and other parts (``special``) as one label."""

        parts = []
        for h in self.plan.contest_parts:
            values = self.text(h)
            if len(values) and all(parse_bool(v) is not None for v in values.unique()):
                name = normalise_header(h)  # a true/false column: its name if true
                values = relabel(values, lambda v, name=name: name if parse_bool(v) else "")
            parts.append(values)
        if not parts:
            return self.text(None)
        return per_combination(parts, lambda *values: ", ".join(v for v in values if v))

    # -- rows left out -------------------------------------------------------------
    def note(self, code: str, message: str, line=None, severity: str = "warning") -> None:
        self.notes.append(
            Note(
                code,
                message,
                file=self.file,
                line=None if line is None else int(line),
                severity=severity,
            )
        )

    def _drops(self, keep):
        """Rows a mapping's [rows] drop entries name."""
        import numpy as np

        mapping = self.interp.mapping
        if mapping is None or not mapping.drops:
            return keep
        for what, hit in dropped_rows(mapping, self.plan, self._header, self.text):
            hit = hit & keep
            if hit.any():
                self.note(
                    "dropped-rows",
                    f"{int(hit.sum())} row(s) where {what} left out (mapping)",
                    line=self.lines[np.flatnonzero(hit)[0]],
                    severity="info",
                )
                keep = keep & ~hit
        return keep

    def _header(self, name: str) -> str:
        mapping = self.interp.mapping
        spec = mapping.fields.get(name) if mapping is not None else None
        found = spec.select(list(self.frame.columns)) if spec is not None else []
        if found:
            return found[0]
        if name in self.frame.columns:
            return name
        raise FormatError(
            f"the mapping names column {name!r}, which the file does not have",
            file=self.file,
            line=1,
            hint="elect inspect FILE lists the headers",
        )

    def _unit_totals(self, df, keep):
        """Registered Voters / Ballots Cast rows are marked; "Total Votes" rows set apart."""
        import numpy as np

        office_total = per_label(df["office"], total_row_field)
        option_total = per_label(df["option"], total_row_field)
        fld = office_total.where(office_total.notna(), option_total)
        contest = per_combination(
            [df["office"], df["cdistrict"], office_total.isna()],
            lambda office, cdistrict, own: f"{office}\x1f{cdistrict}" if own else UNIT_WIDE,
        )
        df = df.assign(contest=contest, field=fld)
        total_option = per_label(df["option"], lambda s: bool(TOTAL_OPTION.match(s)), bool)
        total_option = total_option.to_numpy()
        total_option = total_option & keep & fld.isna().to_numpy()
        if total_option.any():
            self.note(
                "total-option-row",
                f"{int(total_option.sum())} 'Total Votes' row(s) kept apart from the options",
                line=self.lines[np.flatnonzero(total_option)[0]],
                severity="info",
            )
            keep = keep & ~total_option
        return df, keep

    def _aggregates(self, df):
        """Units named Total/Summary/All precincts, and blank parents among named ones."""
        import numpy as np

        named = np.zeros(len(df), dtype=bool)
        for col in self.unit_cols:
            labels = df[col].unique()
            agg = [v for v in labels if is_aggregate_name(v)]
            if agg:
                named |= df[col].isin(agg).to_numpy()
        # A blank outermost key among named ones: a statewide (or file-wide) row.
        first = df[self.unit_cols[0]].to_numpy() == ""
        blank_parent = np.zeros(len(df), dtype=bool)
        if first.any() and not first.all():
            blank_parent = first & ~named
        for mask, what in (
            (named, "named as a total"),
            (blank_parent, f"with a blank {self.headers[0]!r} among named ones"),
        ):
            if mask.any():
                pos = int(np.flatnonzero(mask)[0])
                self.note(
                    "aggregate-row",
                    f"{int(mask.sum())} row(s) of aggregate units {what} (first: "
                    f"{_label(df, self.unit_cols, pos)!r}) left out of every sum",
                    line=df["line"].iloc[pos],
                )
        drop = named | blank_parent
        return df[~drop].reset_index(drop=True) if drop.any() else df

    # -- the unit key ---------------------------------------------------------------
    def _simplify_key(self, df):
        """Key columns that say nothing: constant in the file, or one value per parent."""
        import pandas as pd

        if len(self.unit_cols) < 2 or df.empty:
            return df
        kept_cols: list[str] = []
        kept_headers: list[str] = []
        parent_codes = None
        for col, header in zip(self.unit_cols, self.headers, strict=True):
            codes, uniq = pd.factorize(df[col])
            leaf = col == self.unit_cols[-1]  # the leaf names the unit: always kept
            if len(uniq) == 1 and not (leaf and not kept_cols):
                self.interp.decisions.append(f"unit column {header!r} is the same on every row")
                continue
            if parent_codes is not None and not leaf:
                combined = parent_codes * (len(uniq) + 1) + codes
                if pd.Series(combined).nunique() == pd.Series(parent_codes).nunique():
                    self.interp.decisions.append(
                        f"unit column {header!r} adds nothing to {kept_headers[-1]!r} "
                        "(one value within each)"
                    )
                    continue
                parent_codes = pd.factorize(combined)[0]
            elif parent_codes is None:
                parent_codes = codes
            kept_cols.append(col)
            kept_headers.append(header)
        if kept_cols != self.unit_cols:
            rename = {c: f"k{i}" for i, c in enumerate(kept_cols)}
            dropped = [c for c in self.unit_cols if c not in kept_cols]
            df = df.drop(columns=dropped).rename(columns=rename)
            self.unit_cols = [rename[c] for c in kept_cols]
            self.headers = kept_headers
        return df

    def _group_codes(self, df, extra=()):
        cols = ["contest", *self.unit_cols, "option", "party", "mode", *extra]
        # with the field: Registered Voters, Ballots Cast rows
        return group_codes([df[c] for c in cols] + [df["field"].fillna("")])

    def _unknown_columns(self, df):
        """Unknown text columns: ignored when constant within a unit's option, else a key."""
        import pandas as pd

        plan = self.plan
        if not plan.unknown or df.empty:
            return df
        rows = df["line"].to_numpy() - Table.LINE_OFFSET
        base = self._group_codes(df)
        groups = pd.Series(base).nunique()
        for header in plan.unknown:
            values = self.text(header).to_numpy()[rows]
            codes = pd.factorize(values)[0]
            pairs = pd.Series(base * (codes.max() + 2) + codes).nunique()
            if pairs == groups:
                self.interp.role(
                    header, "ignored", "one value within each unit, contest and option"
                )
                continue
            distinct = pd.unique(values)
            boolean = all(parse_bool(v) is not None for v in distinct[:50])
            if ID_WORDS.search(normalise_header(header)) or (len(distinct) > 2 and not boolean):
                col = f"k{len(self.unit_cols)}"
                df = df.assign(**{col: values})
                self.unit_cols.append(col)
                self.headers.append(header)
                self.interp.role(header, "unit", "tells rows of one unit apart: joins the key")
                self.interp.decisions.append(
                    f"column {header!r} tells rows of one unit apart: it joins the unit key"
                )
                base = self._group_codes(df)
                groups = pd.Series(base).nunique()
                continue
            raise FormatError(
                f"column {header!r} tells rows of one unit, contest and option apart, and "
                "elect cannot tell what it means",
                file=self.file,
                line=1,
                column=header,
                hint=f"a mapping settles it: unit = [..., {header!r}] under [columns] if it "
                f"names a place, or ignore = [{header!r}] if the rows are to be added up",
            )
        return df

    def _select(self, df, only: str | None):
        """With --contest, the rows of the contests it picks (and the unit-wide totals),
        before the checks that group rows by unit and option.

        What reads the whole file is decided on it above (the unit key, aggregate units,
        unknown columns); repeated rows and vote modes are then the picked contest's
        own, as its notes count them."""
        import pandas as pd

        if only is None or df.empty:
            return df
        from .long_cells import pick_contests

        contest = df["contest"].to_numpy()
        keys = sorted(pd.unique(contest[df["field"].isna().to_numpy()]))
        if not keys:
            return df
        picked = [keys[i] for i in pick_contests(keys, only, self.file)]
        keep = df["contest"].isin([*picked, UNIT_WIDE]).to_numpy()
        return df if keep.all() else df[keep].reset_index(drop=True)

    # -- vote modes and repeated rows -------------------------------------------------
    def _modes(self, df):
        return mode_rows(self, df)

    def _repeated(self, df):
        return repeated_rows(self, df)
