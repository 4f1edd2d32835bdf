"""Names from files are data: never Rich markup, never control codes on the terminal.

Every table cell and line that shows a name read from a file (option, party,
region, unit, election, source, file path) is built by :func:`cell` (a Rich
``Text``, so ``[link=…]``, ``[/]`` and ``:skull:`` stay literal) or, inside a
longer text, :func:`shown`.

- On the terminal, C0/C1 control characters, DEL and bidirectional overrides are
  shown visibly (``\\x1b``, ``\\u202e``): an OSC title or a CSI clear never runs.
- In HTML/SVG exports (inside :func:`for_export`) they are dropped.
- JSON keeps the exact strings; :func:`json_text` escapes what ``json.dumps``
  leaves raw (C1, DEL, bidi), so the bytes on stdout hold no control code.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# Whether names are being built for an export: scoped by for_export() (a context
# variable, not run state: it holds only while one export is rendered).
_EXPORTING: ContextVar[bool] = ContextVar("elect_names_exporting", default=False)


def _show(m: re.Match) -> str:
    o = ord(m.group())
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def visible(value) -> str:
    """Control characters as escapes: ``"\\x1b]0;pwned\\x07"`` shows, never runs."""
    s = "" if value is None else str(value)
    return _CONTROL.sub(_show, s)


def visible_lines(value) -> str:
    """Like :func:`visible`, keeping line ends and tabs (a text block meant to be saved)."""
    s = "" if value is None else str(value)
    return _CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else _show(m), s)


def dropped(value) -> str:
    s = "" if value is None else str(value)
    return _CONTROL.sub("", s)


def shown(value) -> str:
    """A name for a human view: visible escapes on the terminal, dropped in exports."""
    return dropped(value) if _EXPORTING.get() else visible(value)


def cell(value, style: str = ""):
    """A table cell or line holding a name: literal text, never markup."""
    from rich.text import Text

    return Text(shown(value), style=style)


@contextmanager
def for_export():
    """Build renderables for an HTML/SVG export: control characters are dropped."""
    token = _EXPORTING.set(True)
    try:
        yield
    finally:
        _EXPORTING.reset(token)


def json_text(text: str) -> str:
    """A ``json.dumps`` result with C1, DEL and bidi controls escaped too (same value)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def mathtext_safe(value) -> str:
    """A name for a matplotlib label: ``$`` would start mathtext (and can raise)."""
    return dropped(value).replace("$", r"\$")
