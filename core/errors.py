"""Typed errors raised by the core.

Every error carries where it happened (file, line, column) and a hint that says
how to fix it. The CLI turns them into one line on stderr and an exit code, in
one place (``elect.cli.main``); the core never prints or exits.
"""

from __future__ import annotations


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
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file
        self.line = line
        self.column = column

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

    def one_line(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def to_dict(self) -> dict:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
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
