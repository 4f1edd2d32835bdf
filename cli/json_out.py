"""JSON on stdout or the ``-o`` file, written as it is encoded (issue 14).

``json.dumps(doc, indent=2)`` builds the whole text before a byte is written: for a
per-unit output of a million stations that is a second copy of the document, and a
third when ``-o`` buffered it. Here the encoder's chunks go to the stream in blocks
of about 64 KiB, so only the document and one block are held. The bytes are those
``json.dumps(doc, ensure_ascii=False, indent=2)`` gives (the same encoder, chunk by
chunk), with C1, DEL and bidi controls escaped by :func:`.names.json_text`.
"""

from __future__ import annotations

import json
from typing import Any

BLOCK = 1 << 16


def write_json(doc: Any, out, *, indent: int | None = 2) -> None:
    """DOC as JSON and a newline on OUT (a text stream), a block at a time."""
    from .names import json_text

    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent)
    block: list[str] = []
    size = 0
    for chunk in encoder.iterencode(doc):
        block.append(chunk)
        size += len(chunk)
        if size >= BLOCK:
            # Escaping works character by character, so block by block gives the same.
            out.write(json_text("".join(block)))
            block.clear()
            size = 0
    block.append("\n")
    out.write(json_text("".join(block)))
