"""How many bytes elect reads from one input: ``--max-bytes`` or ``ELECT_MAX_BYTES``.

The limit travels with each input (:class:`~elect.core.io.source.InputSource`); a caller
that does not give one gets :func:`default_max_bytes`. Nothing here is set at run time.

The limit counts bytes after decompression, the bytes of a stream (stdin, a FIFO),
and the size of a JSON file (parsed whole). A plain CSV on disk is streamed and not
limited. The default lets a national station-level file through (Russia 2018, all
97,699 stations: 32 MB) while a stream of endless text stops under 1 GB of memory.
"""

from __future__ import annotations

import os
import re

DEFAULT_MAX_BYTES = 512 << 20  # 512 MiB: 16 times Russia 2018 (32 MB), and a 10 GB
# stream stops with the process under 1 GB
ENV_VAR = "ELECT_MAX_BYTES"
# A compressed stream that grows this many times past BOMB_MIN_BYTES is a bomb: real
# result files compress 5-30 fold; gzip reaches ~1030 fold, bz2 and xz far more.
BOMB_RATIO = 100
BOMB_MIN_BYTES = 64 << 20

_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text: str) -> int:
    """``500M``, ``2G``, ``1.5GiB``, ``1000000`` → bytes; ValueError for anything else."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", str(text).lower())
    if not m:
        raise ValueError(f"not a size: {text!r} (use e.g. 500M, 2G or a number of bytes)")
    value = int(float(m.group(1)) * _UNITS[m.group(2)])
    if value <= 0:
        raise ValueError(f"the size must be above zero, not {text!r}")
    return value


def default_max_bytes() -> int:
    """The limit when the caller names none: ``ELECT_MAX_BYTES``, else the default."""
    env = os.environ.get(ENV_VAR)
    if env:
        try:
            return parse_size(env)
        except ValueError:
            return DEFAULT_MAX_BYTES  # the CLI reports a bad value before reading anything
    return DEFAULT_MAX_BYTES


def human_bytes(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"
