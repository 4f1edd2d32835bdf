"""The units of a contest read as columns straight from the document's bytes.

The fast reading (:mod:`.canonical_fast`) hands each contest's ``units`` array here
first. When the array is *plain* — compact JSON, no backslash, no control byte, every
unit a flat object whose ``votes`` is one object of counts — numpy reads it with no
Python object per unit:

- with no backslash, quotes pair up: string *k* runs from quote 2k to quote 2k+1;
- the bytes after a string say what it is. A key is followed by a colon, and then by
  nothing more (a text value is the next string), by ``{`` (the votes open), or by a
  number or literal. After each value comes a *tail*, one of the six ways a value can
  end (``,`` ``}`` ``},`` ``}}`` ``},{`` ``}},{``), which give the nesting depth and
  where each unit starts;
- a key is named by its length and first and last eight bytes (exact up to 16 bytes;
  the middle of a longer key is compared byte by byte); numbers are parsed eight digits
  at a time; a text value is kept as its bytes in eight-byte words, which compare and
  group exactly, and become Python strings only when a command shows them.

Anything else — whitespace, an escape, a float, a count as text, an unknown or
repeated key, an array, reported figures on a unit — raises :class:`NotColumnar`, and the
record decoder reads the contest instead: same columns, same errors. The array comes in
blocks of whole units (:mod:`.canonical_blocks`); :func:`read_block` reads any block key
by key, and a block whose units all have the shape of one read before is read column by
column (:mod:`.canonical_shape`), with the same rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model import LEVELS
from .canonical_units import COUNT_KEYS

_PAD = 32  # zero bytes after a block, so eight-byte reads never run off its end
_U64 = np.uint64
_M8 = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=_U64)
_P1, _P2 = _U64(0x9E3779B97F4A7C15), _U64(0xC2B2AE3D27D4EB4F)
TEXT_FIELDS = ("id", "name", "parent", "mission", "country", "code")
UNIT_KEYS = ("level", "abroad", "votes", "note", *TEXT_FIELDS, *COUNT_KEYS)
_VOTES = UNIT_KEYS.index("votes")
# The tails: their bytes, the depth they close, whether a unit starts after them, and
# the depths (as bits) they may come at.
_TAIL_BYTES = (b",", b"}", b"},", b"}}", b"},{", b"}},{")
# The seventh kind stands for the votes opening (one deeper, at depth 1).
_TAIL_DELTA = np.array([0, -1, -1, -2, 0, -1, 1], dtype=np.int64)
_TAIL_NEW = np.array([0, 0, 0, 0, 1, 1, 0], dtype=np.int64)
_TAIL_DEPTHS = np.array([6, 2, 4, 4, 2, 4, 2], dtype=np.int64)
_IS_END = np.array([0, 1, 0, 1, 0, 0, 0], dtype=bool)
_CODES = np.array([int.from_bytes(t, "little") | (len(t) << 32) for t in _TAIL_BYTES], dtype=_U64)
_CODE_ORDER = np.argsort(_CODES)
_CODE_SORTED = _CODES[_CODE_ORDER]


class NotColumnar(Exception):
    """The bytes are not plain units: the record decoder reads the contest."""


class Vocab:
    """Keys looked up by their bytes: length, depth, first and last eight bytes."""

    def __init__(self, keys: list[tuple[str, int]]) -> None:
        raw = [k.encode("utf-8") for k, _ in keys]
        self.keys = raw
        self.depth = np.array([d for _, d in keys], dtype=np.int64)
        self.length = np.array([len(k) for k in raw], dtype=np.int64)
        self.head = np.array([_word(k[:8]) for k in raw], dtype=_U64)
        self.tail = np.array([_word(k[-8:]) if len(k) > 8 else 0 for k in raw], dtype=_U64)
        h = _key_hash(self.head, self.length, self.depth)
        if len(set(h.tolist())) < len(raw):  # alike by length and first bytes: not for us
            raise NotColumnar
        self.hash = h
        # A table with one slot per key, found by the top bits of h * multiplier: a few
        # multipliers are tried until no two keys share a slot.
        bits = max(6, (4 * len(raw)).bit_length())
        for i in range(64):
            mult = _U64((0x9E3779B97F4A7C15 + 2 * i * 0x632BE59BD9B4E019) % 2**64 | 1)
            slot = (h * mult) >> _U64(64 - bits)
            if len(set(slot.tolist())) == len(raw):
                break
        else:  # pragma: no cover - 64 tries for a few dozen keys in thousands of slots
            raise NotColumnar
        self.mult, self.shift = mult, _U64(64 - bits)
        self.table = np.zeros(1 << bits, dtype=np.int64)
        self.table[slot.astype(np.int64)] = np.arange(len(raw))

    def find(self, buf, words, start, length, depth) -> np.ndarray:
        """The vocabulary position of each key (LENGTH bytes at START of BUF)."""
        if not length.all():
            raise NotColumnar  # an empty key
        head = words(start) & (_U64(2**64 - 1) >> ((8 - np.minimum(length, 8)) << 3).astype(_U64))
        h = _key_hash(head, length, depth)
        pos = np.take(self.table, ((h * self.mult) >> self.shift).astype(np.intp))
        if not (np.take(self.hash, pos) == h).all() or not (np.take(self.head, pos) == head).all():
            raise NotColumnar  # an unknown key: the decoder names it
        longer = np.flatnonzero(length > 8)
        if len(longer):
            ends = words(start[longer] + length[longer] - 8)
            if not (np.take(self.tail, pos[longer]) == ends).all():
                raise NotColumnar
        for v in np.flatnonzero(self.length > 16).tolist():  # the middle of long keys
            which = np.flatnonzero(pos == v)
            if len(which):
                k = self.keys[v]
                cells = buf[start[which][:, None] + np.arange(len(k))]
                if not (cells == np.frombuffer(k, np.uint8)).all():
                    raise NotColumnar
        return pos


def _word(b: bytes) -> int:
    return int.from_bytes(b, "little")


def _key_hash(head, length, depth):
    return head * _P1 + (length.astype(_U64) << _U64(1)) + depth.astype(_U64)


def _eight_digits(words: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The number written by the first COUNT (1…8) digits of each little-endian word."""
    v = (words & _M8[count]) << ((8 - count) * 8).astype(_U64)
    v &= _U64(0x0F0F0F0F0F0F0F0F)
    v = (v * _U64(2561)) >> _U64(8)
    v = ((v & _U64(0x00FF00FF00FF00FF)) * _U64(6553601)) >> _U64(16)
    return ((v & _U64(0x0000FFFF0000FFFF)) * _U64(42949672960001)) >> _U64(32)


def _leading_digits(words: np.ndarray) -> np.ndarray:
    """How many of each word's eight bytes, from the first, are ASCII digits."""
    x = words ^ _U64(0x3030303030303030)
    # The top bit of each byte that is not a digit (x ≥ 10), with no carry between bytes.
    bad = (((x & _U64(0x7F7F7F7F7F7F7F7F)) + _U64(0x7676767676767676)) | x) & _U64(
        0x8080808080808080
    )
    lowest = bad & (~bad + _U64(1))
    _, exp = np.frexp(lowest.astype(np.float64))  # 2**(8k+7) → 8k+8; none → 0
    return np.where(bad == 0, 8, (exp - 8) >> 3)


class Words8:
    """The eight bytes from any offset of a block as one little-endian number: two
    aligned words, shifted and joined. (A table of every offset's eight bytes would be
    eight times the block, read from memory at every gather; the block stays in cache.)
    BUF's length is a multiple of 8, with at least 16 zero bytes after the block."""

    def __init__(self, buf, m: int) -> None:
        self.aligned = buf.view("<u8")
        self.last = m + 7  # the furthest offset worth reading: all zeros from there

    def __call__(self, at) -> np.ndarray:
        at = np.asarray(at)
        i = at >> 3
        shift = ((at & 7) << 3).astype(_U64)
        low = np.take(self.aligned, i) >> shift
        # Shifted in two steps: a shift by 64 (an aligned offset) is undefined in C.
        high = (np.take(self.aligned, i + 1) << _U64(1)) << (_U64(63) - shift)
        return low | high


class Block:
    """A block of units as read by both readings: its bytes, the eight bytes from any
    offset (WORDS), and where each string opens and closes."""

    def __init__(self, buf, m: int) -> None:
        b = buf[:m]
        if b.min() < 32:  # a control byte: whitespace between tokens, or not JSON
            raise NotColumnar
        if b.max() >= 128:
            try:
                b.tobytes().decode("utf-8")
            except UnicodeDecodeError:
                raise NotColumnar from None
        self.words = Words8(buf, m)
        q = np.flatnonzero(b == 34)
        if len(q) % 2 or not len(q) or q[0] != 1 or b[0] != 0x7B:
            raise NotColumnar
        self.buf, self.m = buf, m
        self.op, self.cl = q[0::2], q[1::2]


def read_block(
    block: Block, n_options: int, vocab: Vocab, levels: Vocab
) -> tuple[dict[str, Any], list[tuple[int, int, int]]]:
    """The columns of a block's units, and the shape of its last unit: for each of its
    keys, in order, (vocabulary position, kind: 0 text, 1 scalar, 2 votes, tail)."""
    buf, m, words, op, cl = block.buf, block.m, block.words, block.op, block.cl
    ns = len(op)
    after = np.empty(ns, dtype=np.int64)  # where the next string opens (or the block ends)
    after[:-1] = op[1:]
    after[-1] = m
    colon = np.take(buf, cl + 1) == 58  # (the padding after the block reads as 0)
    kx = np.flatnonzero(colon)  # the keys: a colon follows
    nk = len(kx)
    if not nk:
        raise NotColumnar
    k_colon = np.take(cl, kx) + 1
    k_gap = np.take(after, kx) - k_colon
    k_text = k_gap == 1  # the colon alone: a text value is the next string
    if k_text[-1] and kx[-1] == ns - 1:
        raise NotColumnar  # a colon, then the end of the block
    k_votes = (k_gap == 2) & (np.take(buf, k_colon + 1) == 123)
    k_scalar = ~(k_text | k_votes)
    tx = np.flatnonzero(k_text)
    vs = np.take(kx, tx) + 1  # the text values, as string positions
    # Every string that is not a key is the value after a key and its colon alone.
    if len(vs) != ns - nk or np.take(colon, vs).any():
        raise NotColumnar

    # Scalars: 1-16 digits, true, false or null, then a tail.
    sx = np.flatnonzero(k_scalar)
    sp = np.take(k_colon, sx) + 1
    length, literal, value = scalars(words, sp)

    # Each value's tail, but the votes', which is its last count's.
    t_start = np.zeros(nk, dtype=np.int64)
    t_end = np.ones(nk, dtype=np.int64)
    t_start[sx] = sp + length
    t_end[sx] = np.take(after, np.take(kx, sx))
    t_start[tx] = np.take(cl, vs) + 1
    t_end[tx] = np.take(after, vs)
    t_len = t_end - t_start
    if (t_len < 1).any() or (t_len > 4).any():
        raise NotColumnar
    code = (words(t_start) & np.take(_M8, t_len)) | (t_len.astype(_U64) << _U64(32))
    tail: np.ndarray = np.take(_CODE_ORDER, np.minimum(np.searchsorted(_CODE_SORTED, code), 5))
    if not ((np.take(_CODES, tail) == code) | k_votes).all():
        raise NotColumnar
    tail[k_votes] = 6  # the votes open: one deeper, no tail
    delta: np.ndarray = np.take(_TAIL_DELTA, tail)
    depth = np.empty(nk, dtype=np.int64)  # the depth each key is at
    depth[0] = 1
    np.cumsum(delta[:-1], out=depth[1:])
    depth[1:] += 1
    if not ((np.take(_TAIL_DEPTHS, tail) >> depth) & 1).all():
        raise NotColumnar
    if np.take(_IS_END, tail[:-1]).any() or not _IS_END[tail[-1]] or depth[-1] + delta[-1]:
        raise NotColumnar  # the block ends with its last unit, and only there
    unit = np.empty(nk, dtype=np.int64)
    unit[0] = 0
    np.cumsum(np.take(_TAIL_NEW, tail[:-1]), out=unit[1:])
    nu = int(unit[-1]) + 1

    key_start = np.take(op, kx) + 1
    name = vocab.find(buf, words, key_start, k_colon - 1 - key_start, depth)
    if ((name == _VOTES) != k_votes).any():
        raise NotColumnar  # votes not an object, or an object under another key
    # Every key's value, as columns of keys: literal kind, number, text span.
    k_literal = np.full(nk, -1, dtype=np.int8)
    k_literal[sx] = literal
    k_value = np.zeros(nk, dtype=_U64)
    k_value[sx] = value
    k_start = np.zeros(nk, dtype=np.int64)
    k_length = np.zeros(nk, dtype=np.int64)
    k_start[tx] = np.take(op, vs) + 1
    k_length[tx] = np.take(cl, vs) - k_start[tx]
    order = np.argsort(name.astype(np.int16), kind="stable")
    bounds = np.zeros(len(vocab.keys) + 1, dtype=np.int64)
    np.cumsum(np.bincount(name, minlength=len(vocab.keys)), out=bounds[1:])
    fields: dict[int, Field] = {}
    for pos in np.flatnonzero(bounds[1:] > bounds[:-1]).tolist():
        sel = order[bounds[pos] : bounds[pos + 1]]
        where = np.take(unit, sel)
        if len(where) > 1 and (where[1:] <= where[:-1]).any():
            raise NotColumnar  # a key twice in one unit: the decoder names it
        fields[pos] = Field(
            where, k_text[sel], k_literal[sel], k_value[sel], k_start[sel], k_length[sel]
        )
    out = columns_of(fields, nu, n_options, block, levels)
    last = np.flatnonzero(unit == nu - 1)
    kinds = np.where(k_text, 0, np.where(k_votes, 2, 1))
    shape = list(zip(name[last].tolist(), kinds[last].tolist(), tail[last].tolist(), strict=True))
    return out, shape


class Field:
    """The values one key has in a block, a row per unit that has it (WHERE): whether
    the value is text, its literal kind (-1 a number or text, 0 false, 1 true, 2 null),
    its number, and for text its span in the block (START, LENGTH)."""

    def __init__(self, where, text, literal, value, start, length) -> None:
        self.where, self.text, self.literal = where, text, literal
        self.value, self.start, self.length = value, start, length


def columns_of(
    fields: dict[int, Field], nu: int, n_options: int, block: Block, levels: Vocab
) -> dict[str, Any]:
    """A block's columns from its fields (by vocabulary position): the schema's rules
    for each kind of value, one place for both readings (a key at a time, or a shape)."""
    out: dict[str, Any] = {"units": nu}

    def counts(pos: int) -> np.ndarray | None:
        f = fields.get(pos)
        if f is None:
            return None
        number = f.literal < 0
        if f.text.any() or not (number | (f.literal == 2)).all():
            raise NotColumnar  # a count as text, true or false: the decoder names it
        col = np.full(nu, np.nan)
        col[f.where[number]] = f.value[number]
        return col

    for k in COUNT_KEYS:
        out[k] = counts(UNIT_KEYS.index(k))
    out["votes"] = [counts(len(UNIT_KEYS) + j) for j in range(n_options)]
    abroad = np.zeros(nu, dtype=bool)
    if (f := fields.get(UNIT_KEYS.index("abroad"))) is not None:
        if f.text.any() or not np.isin(f.literal, (0, 1)).all():
            raise NotColumnar  # abroad is true or false
        abroad[f.where] = f.literal == 1
    out["abroad"] = abroad
    level = np.full(nu, LEVELS.index("station"), dtype=np.int8)
    if (f := fields.get(UNIT_KEYS.index("level"))) is not None:
        if not f.text.all():
            raise NotColumnar  # a level is text
        depth = np.ones(len(f.where), dtype=np.int64)
        level[f.where] = levels.find(block.buf, block.words, f.start, f.length, depth)
    out["level"] = level
    for k in ("note", *TEXT_FIELDS):
        f = fields.get(UNIT_KEYS.index(k))
        if f is None:
            if k == "id":
                raise NotColumnar  # units without an id
            out[k] = None
            continue
        if k == "id" and len(f.where) != nu:
            raise NotColumnar  # a unit without an id
        if k in ("id", "name") and not f.text.all():
            raise NotColumnar  # ids and names are text (null is not a name)
        if not (f.text | (f.literal == 2)).all():
            raise NotColumnar  # the other text fields are text or null
        text = np.flatnonzero(f.text)
        out[k] = words_of(block.words, f.start[text], f.length[text], f.where[text], nu)
    out.pop("note")  # checked, not kept
    return out


def scalars(words, sp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scalar at each of SP: its length in bytes, its kind (-1 a number, 0 false,
    1 true, 2 null) and its value (numbers of 1-16 digits, at most 2**53)."""
    w1 = words(sp)
    length = _leading_digits(w1)
    more_at = np.flatnonzero(length == 8)
    if len(more_at):
        more = _leading_digits(words(sp[more_at] + 8))
        full = more_at[more == 8]
        if len(full) and _leading_digits(words(sp[full] + 16)).any():
            raise NotColumnar  # more than 16 digits: beyond any exact count
        length[more_at] += more
    if ((length > 1) & ((w1 & _U64(0xFF)) == 48)).any():
        raise NotColumnar  # a leading zero is not JSON
    literal = np.full(len(sp), -1, dtype=np.int8)
    lit_at = np.flatnonzero(length == 0)
    if len(lit_at):
        word = w1[lit_at]
        kind = np.full(len(word), -1, dtype=np.int8)
        for text, code_of in ((b"true", 1), (b"null", 2), (b"false", 0)):
            kind[(word & _M8[len(text)]) == _U64(_word(text))] = code_of
        if (kind < 0).any():
            raise NotColumnar
        literal[lit_at] = kind
        length[lit_at] = np.where(kind == 0, 5, 4)
        value = np.zeros(len(sp), dtype=_U64)
        num = np.flatnonzero(literal < 0)
        value[num] = _number(words, w1[num], sp[num], length[num])
    else:
        value = _number(words, w1, sp, length)
    if (value > _U64(2**53)).any():
        raise NotColumnar
    return length, literal, value


def _number(words, w1, sp, length) -> np.ndarray:
    """The numbers of LENGTH (1…16) digits at SP, whose first eight bytes are W1."""
    longer = np.flatnonzero(length > 8)
    if not len(longer):
        return _eight_digits(w1, length)
    value = _eight_digits(w1, np.minimum(length, 8))
    n = length[longer]
    hi = _eight_digits(w1[longer], n - 8)
    lo = _eight_digits(words(sp[longer] + n - 8), np.full(len(longer), 8))
    value[longer] = hi * _U64(100_000_000) + lo
    return value


def words_of(words, start, length, rows, nu) -> tuple[np.ndarray, np.ndarray] | None:
    """Text values as eight-byte words, one row a word (each unit's value in a column)."""
    if not len(rows):
        return None
    every = len(rows) == nu  # ROWS is then every unit, in order
    lengths = length.astype(np.int32) if every else np.zeros(nu, dtype=np.int32)
    if not every:
        lengths[rows] = length
    width = (int(length.max()) + 7) // 8
    out = np.zeros((width, nu), dtype=_U64)
    for c in range(width):
        left = np.clip(length - 8 * c, 0, 8)
        # A value with no byte left here reads some bytes further on, masked to none.
        cell = words(np.minimum(start + 8 * c, words.last))
        cell &= _U64(2**64 - 1) >> ((8 - left) << 3).astype(_U64)
        cell[left == 0] = 0
        if every:
            out[c] = cell
        else:
            out[c, rows] = cell
    return out, lengths
