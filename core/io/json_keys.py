"""A duplicated key in a JSON object is an error naming the key and its line (issue 12).

JSON decoders (the standard library's, msgspec's) keep the last value of a repeated
key silently. Every JSON reader of elect applies this one rule:

1. :func:`more_keys_than` counts the colons of the text (one C-speed pass): one per
   key, plus any inside strings. Only when there are more colons than decoded keys,
   :func:`key_marks` counts the places where a key can end (a closing quote, optional
   blanks, a colon): every key once, and a string value that begins with a colon,
   so the figure is an upper bound on the number of keys, exact in practice.
2. The reader counts the keys it decoded (:func:`decoded_keys`, or field by field).
   When the two agree, no object held a key twice: nothing more is done.
3. Otherwise :func:`first_duplicate` walks the text token by token and names the
   first repeated key in document order, with its line: the same answer whichever
   reader (exact or fast) asked. A count that disagreed for another reason (a value
   beginning with ``:``) finds nothing and the reading goes on.
"""

from __future__ import annotations

import json
import re
from typing import Any, AnyStr

from ..errors import FormatError

HINT = "keep one of the two values; other JSON readers silently take the last"
# A string (its text in group 1), then, for a key, the colon; or a brace.
_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?|[{}]', re.DOTALL)
_BLANK_COLON_STR = re.compile(r'"[ \t\r\n]+:')
_BLANK_COLON_BYTES = re.compile(rb'"[ \t\r\n]+:')


def more_keys_than(text: AnyStr, decoded: int) -> bool:
    """Whether TEXT may hold more keys than DECODED (the keys its decoder kept).

    Every key is followed by one colon outside strings: when the text has no more
    colons than keys were decoded (the usual case, one pass), no key was repeated.
    """
    colons = text.count(":" if isinstance(text, str) else b":")
    return colons > decoded and key_marks(text, colons) > decoded


def key_marks(text: AnyStr, colons: int | None = None) -> int:
    """Closing quotes followed by a colon (blanks between allowed): the keys, and any
    string value that starts with a colon. COLONS: the text's colons, if counted."""
    if isinstance(text, str):
        quote_colon, backslash, colon, quote = '":', "\\", ":", '"'
        blank_colon = _BLANK_COLON_STR
    else:
        quote_colon, backslash, colon, quote = b'":', b"\\", b":", b'"'
        blank_colon = _BLANK_COLON_BYTES
    marks = after_quote = text.count(quote_colon)
    if backslash + quote in text:
        # A quote after an odd run of backslashes is escaped: no key ends there.
        # Runs of at least k backslashes, counted with alternating signs.
        k, sign = 1, -1
        while True:
            run = text.count(backslash * k + quote_colon)
            if not run:
                break
            marks += sign * run
            sign, k = -sign, k + 1
    if (text.count(colon) if colons is None else colons) != after_quote:
        # Some colon is not right after a quote: keys written `"a" : 1`, or colons
        # inside strings. Only the first are marks (with the quote not escaped).
        for m in blank_colon.finditer(text):
            i = m.start()
            while i and text[i - 1 : i] == backslash:
                i -= 1
            if (m.start() - i) % 2 == 0:
                marks += 1
    return marks


def decoded_keys(tree: Any) -> int:
    """The number of keys of every object in a decoded JSON value."""
    total = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            total += len(node)
            stack.extend(v for v in node.values() if type(v) in (dict, list))
        elif type(node) is list:
            stack.extend(v for v in node if type(v) in (dict, list))
    return total


class DuplicateKeyError(FormatError):
    """A key given twice in one JSON object."""


def first_duplicate(text: str) -> tuple[str, int] | None:
    """The first key repeated in its object (document order) and its offset, or None."""
    open_objects: list[set[str]] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token == "{":
            open_objects.append(set())
        elif token == "}":
            if open_objects:
                open_objects.pop()
        elif m.group(2) is not None and open_objects:
            key = m.group(1)
            if "\\" in key:
                key = json.loads(f'"{key}"')
            keys = open_objects[-1]
            if key in keys:
                return key, m.start()
            keys.add(key)
    return None


def duplicate_error(text: str, file: str, line_offset: int = 0) -> DuplicateKeyError | None:
    """The error for the first duplicated key of TEXT, or None when every key is single."""
    found = first_duplicate(text)
    if found is None:
        return None
    key, offset = found
    return DuplicateKeyError(
        f"duplicated key {json.dumps(key, ensure_ascii=False)} in an object",
        file=file,
        line=line_offset + text.count("\n", 0, offset) + 1,
        hint=HINT,
    )


def check_keys(text: str, decoded: int, file: str, first_line: int = 1) -> None:
    """Refuse TEXT (starting on line FIRST_LINE of FILE) if it holds a duplicated key.

    DECODED: the number of keys its decoder kept (:func:`decoded_keys`)."""
    if more_keys_than(text, decoded):
        error = duplicate_error(text, file, first_line - 1)
        if error is not None:
            raise error
