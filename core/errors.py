"""Typed errors raised by the core.

Every error carries where it happened (file, line, column), a hint that says how to
fix it in the core's own terms, and, where a setting fixes it, a machine-readable
``fix``: the setting and an example value, such as ``("encoding", "cp1251")``. The core
never names a front end's flags: the CLI renders a fix as one (``--encoding cp1251``).
The CLI turns errors into one line on stderr and an exit code, in one place
(``elect.cli.main``); the core never prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable

# (setting, example value): "encoding", "map", "preset", "sheet", "contest", "rule",
# "base", "input_format", "max_bytes", "date", "top", "by", "where", "exclude", "leader",
# "geo", "select", "reference". The value may be empty (a switch, or no example).
Fix = tuple[str, str]


def fix_in_words(fix: Fix) -> str:
    """A fix as the core says it when no front end renders it: ``set encoding to cp1251``."""
    setting, value = fix
    return f"set {setting.replace('_', ' ')} to {value}" if value else f"set {setting}"


class ElectError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` follows the README table."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        fix: Fix | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file
        self.line = line
        self.column = column
        self.fix = fix

    def where(self) -> str:
        """``file:line: column 'x'`` as far as it is known."""
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def one_line(self, show_fix: Callable[[Fix], str] = fix_in_words) -> str:
        """``file:line: message (hint: …; fix)``; SHOW_FIX renders the fix (the CLI: a flag)."""
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        parts = [p for p in (self.hint, show_fix(self.fix) if self.fix else None) if p]
        if parts:
            text += f" (hint: {'; '.join(parts)})"
        return text

    def to_dict(self) -> dict:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
            "fix": None if self.fix is None else {"setting": self.fix[0], "value": self.fix[1]},
        }


class InputError(ElectError):
    """The input cannot be read: missing, undecodable, unknown format, malformed."""


class UnreadableFileError(InputError):
    """The file does not exist or cannot be opened."""


class DecodeError(InputError):
    """The bytes are not text in any encoding elect recognises."""


class FormatError(InputError):
    """The content is not a layout elect knows, or the forced layout does not fit."""


class MissingColumnError(InputError):
    """A required column is absent."""


class CountError(InputError):
    """A count is not a non-negative whole number."""


class SelectionError(ElectError):
    """A selection (contest, option, region) names nothing, or more than one thing."""


class DataError(ElectError):
    """The data cannot answer the question asked (e.g. no station rows for forensics)."""


class InputTooLargeError(InputError):
    """The input (after decompression) is larger than the byte limit (``--max-bytes``)."""
