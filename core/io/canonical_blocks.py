"""Plain units read block by block into columns (see :mod:`.canonical_bytes`).

The units array comes in blocks of whole units, from the document in memory or read
again from its file; blocks are read side by side on threads (numpy lets go of the
GIL in its loops) and their columns copied, in order, into columns sized from the
first block, so no block's columns outlive it and the document is never held whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..model import LEVELS
from .canonical_bytes import (
    _PAD,
    TEXT_FIELDS,
    UNIT_KEYS,
    Block,
    NotColumnar,
    Vocab,
    read_block,
)
from .canonical_shape import Shape, read_shaped
from .canonical_units import COUNT_KEYS

BLOCK = 1 << 21  # bytes a block, about 10,000 stations
# Off only to test that the general reading gives the same columns without shapes.
SHAPES = True
_U64 = np.uint64
_P1, _P2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F


class Words:
    """A text column as eight-byte words: column i of WORDS holds value i's UTF-8 bytes,
    zero-padded (a plain value holds no zero byte), LENGTHS its length in bytes."""

    def __init__(self, words: np.ndarray, lengths: np.ndarray) -> None:
        self.words, self.lengths = words, lengths

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, i: int) -> str:
        return self.words[:, i].tobytes()[: int(self.lengths[i])].decode("utf-8")

    def strings(self, rows=None) -> list[str]:
        """The values (of ROWS, or all) as Python strings."""
        words = self.words if rows is None else self.words[:, rows]
        if not words.shape[0]:
            return [""] * words.shape[1]
        # Newline never occurs in a plain value: one decode, one split.
        cells = np.ascontiguousarray(words.T).view(f"S{8 * words.shape[0]}").ravel()
        return b"\n".join(cells.tolist()).decode("utf-8").split("\n")

    def hashes(self) -> np.ndarray:
        """A 64-bit hash of each value: equal values, equal hashes, in any column."""
        # A sum of word × P1**(c+1): a zero word adds nothing, so the hash of a value
        # does not depend on how many words its column has.
        h = self.lengths.astype(_U64) * _U64(_P2)
        power = _P1
        for row in self.words:
            h += row * _U64(power)
            power = power * _P1 % 2**64
        return h

    def same(self, a: np.ndarray, b: np.ndarray) -> bool:
        """Whether the values at A and at B are the same, pair by pair."""
        if not np.array_equal(np.take(self.lengths, a), np.take(self.lengths, b)):
            return False
        return all(np.array_equal(np.take(row, a), np.take(row, b)) for row in self.words)

    def empty(self) -> bool:
        return not self.lengths.any()


def memory_blocks(raw: bytes, start: int, end: int) -> Iterator[Any]:
    """The units array RAW[start:end] (brackets included) in blocks of whole units."""
    if end - start < 4 or raw[start] != 0x5B or raw[end - 1] != 0x5D:
        raise NotColumnar
    whole = np.frombuffer(raw, np.uint8)
    for a, b in block_bounds(raw, start + 1, end - 1):
        yield whole[a:b]


def file_blocks(f, start: int, end: int) -> Iterator[Any]:
    """The same, read again from the binary file F a block at a time."""
    size = BLOCK
    f.seek(start)
    if f.read(1) != b"[":
        raise NotColumnar
    left, carry = end - start - 2, b""
    while left > 0:
        chunk = f.read(min(size, left))
        if not chunk:
            raise NotColumnar  # shorter than when it was first read
        left -= len(chunk)
        text = carry + chunk
        cut = text.rfind(b"},{") if left > 0 else len(text) - 1
        if cut < 0:
            carry = text
            continue
        yield np.frombuffer(text, np.uint8, count=cut + 1)
        carry = text[cut + 2 :]
    if carry or f.read(1) != b"]":
        raise NotColumnar


def block_bounds(raw: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """Blocks of RAW[start:end] (the units, brackets excluded), each a run of whole
    units: a cut falls on ``},{`` (the block keeps the brace, the next starts at the
    opening one). A cut inside a text value shows as an odd count of quotes."""
    bounds, at = [], start
    while end - at > BLOCK:
        cut = raw.find(b"},{", at + BLOCK, end)
        if cut < 0:
            break
        bounds.append((at, cut + 1))
        at = cut + 2
    bounds.append((at, end))
    return bounds


def read_plain_units(blocks: Iterable[Any], option_ids: list[str], size: int) -> dict[str, Any]:
    """The columns of the units in BLOCKS (arrays of bytes; SIZE bytes in all), or
    NotColumnar."""
    keys = Vocab([(k, 1) for k in UNIT_KEYS] + [(o, 2) for o in option_ids])
    levels = Vocab([(v, 1) for v in LEVELS])
    out = _Columns(option_ids, size)
    # The shape of the last unit read by the general reading: the blocks after it are
    # read column by column when all their units have it (canonical_shape).
    shape: list[Shape | None] = [None]

    def read(block) -> tuple[int, dict[str, Any]]:
        m = len(block)
        buf = np.zeros((m + _PAD + 7) // 8 * 8, dtype=np.uint8)  # whole eight-byte words
        buf[:m] = block
        if (buf[:m] == 92).any():
            raise NotColumnar  # a backslash: strings may hold escaped quotes
        units = Block(buf, m)
        hint = shape[0]
        if hint is not None and SHAPES:
            columns = read_shaped(units, hint, len(option_ids), levels)
            if columns is not None:
                return m, columns
        columns, last = read_block(units, len(option_ids), keys, levels)
        try:
            shape[0] = Shape(last, keys)
        except NotColumnar:
            pass  # a block of one unit, or units without a text id
        return m, columns

    workers = _cpus()
    if workers < 2:
        for block in blocks:
            out.add(*read(block))
        return out.finish()
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    blocks = iter(blocks)
    for block in blocks:  # the first block alone: its last unit gives the others a shape
        out.add(*read(block))
        break
    pool = ThreadPoolExecutor(workers)
    pending: deque = deque()
    try:
        for block in blocks:  # a few blocks ahead of the one awaited
            pending.append(pool.submit(read, block))
            if len(pending) > 2 * workers:
                out.add(*pending.popleft().result())
        while pending:
            out.add(*pending.popleft().result())
    finally:
        pool.shutdown(cancel_futures=True)
    return out.finish()


def _cpus() -> int:
    import os

    try:
        return min(4, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return min(4, os.cpu_count() or 1)


class _Columns:
    """The columns of the whole array, filled block by block in order. Their size is
    guessed from the first blocks (units a byte; the regions and districts that often
    come first are denser than stations) and grown when a guess falls short."""

    def __init__(self, option_ids: list[str], size: int) -> None:
        self.options, self.size = option_ids, size
        self.n = self.capacity = self.bytes = 0
        self.cols: dict[str, np.ndarray] = {}
        self.text: dict[str, list] = {}
        self.waiting: list[tuple[int, dict[str, Any]]] = []

    def add(self, m: int, block: dict[str, Any]) -> None:
        if self.capacity == 0:
            self.waiting.append((m, block))
            if sum(w for w, _ in self.waiting) < min(8 * BLOCK, self.size):
                return
            units = sum(b["units"] for _, b in self.waiting)
            read = sum(w for w, _ in self.waiting)
            guess = units * self.size // read
            self._grow(guess + guess // 50 + 64)
            waiting, self.waiting = self.waiting, []
            for w, b in waiting:
                self._put(w, b)
            return
        self._put(m, block)

    def _put(self, m: int, block: dict[str, Any]) -> None:
        k = block["units"]
        self.bytes += m
        if self.n + k > self.capacity:
            guess = (self.n + k) * self.size // self.bytes
            self._grow(max(guess + guess // 20 + 64, self.capacity * 5 // 4))
        # The columns are made with np.empty: each cell is written once, here (a
        # fill at making would touch every page of them one more time).
        at = slice(self.n, self.n + k)
        for name in (*COUNT_KEYS, "abroad", "level"):
            self.cols[name][at] = np.nan if block[name] is None else block[name]
        for j, v in enumerate(block["votes"]):
            self.cols[f"votes.{j}"][at] = np.nan if v is None else v
        for name in TEXT_FIELDS:
            part = block[name]
            words, lengths = self.text[name]
            if part is None:
                words[:, at] = 0
                lengths[at] = 0
                continue
            width = len(part[0])
            if width > len(words):  # a longer value than any before: more words
                wider = np.empty((width, self.capacity), dtype=_U64)
                wider[: len(words), : self.n] = words[:, : self.n]
                wider[len(words) :, : self.n] = 0
                words = self.text[name][0] = wider
            words[:width, at] = part[0]
            words[width:, at] = 0
            lengths[at] = part[1]
        self.n += k

    def _grow(self, capacity: int) -> None:
        def grown(old: np.ndarray | None, dtype) -> np.ndarray:
            new = np.empty(capacity, dtype=dtype)
            if old is not None:
                new[: self.n] = old[: self.n]
            return new

        for name in (*COUNT_KEYS, *(f"votes.{j}" for j in range(len(self.options)))):
            self.cols[name] = grown(self.cols.get(name), np.float64)
        self.cols["abroad"] = grown(self.cols.get("abroad"), bool)
        self.cols["level"] = grown(self.cols.get("level"), np.int8)
        for name in TEXT_FIELDS:
            words, lengths = self.text.get(name, [np.empty((0, 0), dtype=_U64), None])
            wide = np.empty((len(words), capacity), dtype=_U64)
            wide[:, : self.n] = words[:, : self.n]
            self.text[name] = [wide, grown(lengths, np.int32)]
        self.capacity = capacity

    def finish(self) -> dict[str, Any]:
        if self.waiting:  # fewer bytes than a guess needs: exactly as many as there are
            waiting, self.waiting = self.waiting, []
            self._grow(sum(b["units"] for _, b in waiting))
            for w, b in waiting:
                self._put(w, b)
        n = self.n
        if not n:
            raise NotColumnar
        out: dict[str, Any] = {"units": n}
        for name in (*COUNT_KEYS, "abroad", "level"):
            out[name] = self.cols[name][:n]
        out["votes"] = {oid: self.cols[f"votes.{j}"][:n] for j, oid in enumerate(self.options)}
        for name in TEXT_FIELDS:
            words, lengths = self.text[name]
            out[name] = Words(words[:, :n], lengths[:n])
        return out
