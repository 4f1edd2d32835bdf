"""Blocks whose units all have one shape, read column by column (see canonical_bytes).

A large document usually writes every station the same way: the same keys, in the same
order, with the same kind of value. :class:`Shape` is that way, taken from a unit the
general reading has read. A block of units that all have it is a table: string k of
unit u is string ``u * L + k``, so each key is checked against the one key the shape
has there (its length and bytes), each value read where it must be, and each tail
compared with the one the shape has there, a column at a time instead of a key at a
time. :func:`read_shaped` returns None at the first unit that differs in anything, and
the general reading reads the block: the shape is a faster way to the same columns,
never a second set of rules (tests/test_canonical_plain.py reads with it and without).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .canonical_bytes import (
    _M8,
    _TAIL_BYTES,
    UNIT_KEYS,
    Block,
    Field,
    NotColumnar,
    Vocab,
    _word,
    columns_of,
    scalars,
)

_U64 = np.uint64
_TEXT, _SCALAR, _VOTES = 0, 1, 2
# The tail that ends a block's last unit, for the one that ends any other unit there.
_LAST_TAIL = {4: 1, 5: 3}


class Shape:
    """The keys of a unit in order: for each, its vocabulary position, the kind of its
    value and the tail after the value; and where each key's string falls in the unit."""

    def __init__(self, keys: list[tuple[int, int, int]], vocab: Vocab) -> None:
        """KEYS: those of a block's last unit, whose last tail ends the block."""
        ending = {end: tail for tail, end in _LAST_TAIL.items()}
        if not keys or keys[-1][2] not in ending:
            raise NotColumnar
        keys = [*keys[:-1], (keys[-1][0], keys[-1][1], ending[keys[-1][2]])]
        if UNIT_KEYS.index("id") not in [k for k, kind, _ in keys if kind == _TEXT]:
            raise NotColumnar
        self.keys, self.vocab = keys, vocab
        column, at = [], 0  # the string of each key, within the unit
        for _, kind, _ in keys:
            column.append(at)
            at += 2 if kind == _TEXT else 1
        self.strings = at
        pos = np.array([k for k, _, _ in keys], dtype=np.int64)
        kinds = np.array([kind for _, kind, _ in keys])
        self.column = np.array(column, dtype=np.int64)
        self.length = vocab.length[pos]
        self.head = vocab.head[pos]
        self.mask = _M8[np.minimum(self.length, 8)]
        self.long = np.flatnonzero(self.length > 8)  # keys checked by their last bytes too
        self.tail = vocab.tail[pos[self.long]]
        self.longer = [j for j in range(len(keys)) if self.length[j] > 16]
        self.text = np.flatnonzero(kinds == _TEXT)
        self.votes = np.flatnonzero(kinds == _VOTES)
        self.scalar = np.flatnonzero(kinds == _SCALAR)
        # Tails, in the order of the keys that have one: the text values', the scalars'.
        self.tailed = np.concatenate([self.text, self.scalar])
        tails = [_TAIL_BYTES[keys[j][2]] for j in self.tailed]
        self.tail_size = np.array([len(t) for t in tails], dtype=np.int64)
        self.tail_bytes = np.array([_word(t) for t in tails], dtype=_U64)
        self.tail_mask = _M8[self.tail_size]
        self.final = int(np.flatnonzero(self.tailed == len(keys) - 1)[0])
        last = _TAIL_BYTES[_LAST_TAIL[keys[-1][2]]]  # how the block's last unit ends
        self.final_size, self.final_bytes = len(last), _word(last)


def read_shaped(block: Block, shape: Shape, n_options: int, levels: Vocab) -> dict[str, Any] | None:
    """The columns of a block all of whose units have SHAPE, or None.

    Every check is made on a table of units × keys at once, in unit order, so the
    bytes are visited once and numpy is called a few dozen times a block."""
    op, cl, words, buf, m = block.op, block.cl, block.words, block.buf, block.m
    if len(op) % shape.strings:
        return None
    nu = len(op) // shape.strings
    opens = op.reshape(nu, shape.strings)
    closes = cl.reshape(nu, shape.strings)
    following = np.empty((nu, shape.strings), dtype=np.int64)  # the next string's open
    following[:, :-1] = opens[:, 1:]
    following[:-1, -1] = opens[1:, 0]
    following[-1, -1] = m
    k_open, k_close = opens[:, shape.column], closes[:, shape.column]
    if not (k_close - k_open - 1 == shape.length).all():
        return None
    if not ((words(k_open + 1) & shape.mask) == shape.head).all():
        return None
    if len(shape.long):
        ends = k_close[:, shape.long] - 8
        if not (words(ends) == shape.tail).all():
            return None
    for j in shape.longer:
        key = shape.vocab.keys[shape.keys[j][0]]
        cells = buf[k_open[:, j, None] + 1 + np.arange(len(key))]
        if not (cells == np.frombuffer(key, np.uint8)).all():
            return None
    colon = k_close + 1
    if not (np.take(buf, colon) == 58).all():
        return None
    k_next = following[:, shape.column]
    if len(shape.votes):
        at = colon[:, shape.votes]
        if not ((k_next[:, shape.votes] == at + 2) & (np.take(buf, at + 1) == 123)).all():
            return None
    # Text values: the colon alone before them; their tail after them.
    text_col = shape.column[shape.text] + 1
    if not (k_next[:, shape.text] == colon[:, shape.text] + 1).all():
        return None
    sp = colon[:, shape.scalar] + 1
    length, literal, value = scalars(words, sp.ravel())
    length = length.reshape(sp.shape)
    t_start = np.concatenate([closes[:, text_col] + 1, sp + length], axis=1)
    t_end = np.concatenate([following[:, text_col], k_next[:, shape.scalar]], axis=1)
    # Each tail is the shape's there (the block's last unit ends the block instead).
    size = t_end - t_start
    got = words(t_start)
    final = shape.final
    last_size, last_got = size[-1, final], got[-1, final]
    size[-1, final], got[-1, final] = shape.tail_size[final], shape.tail_bytes[final]
    if not (size == shape.tail_size).all() or not (got & shape.tail_mask == shape.tail_bytes).all():
        return None
    if last_size != shape.final_size or last_got & _M8[last_size] != shape.final_bytes:
        return None
    every = np.arange(nu)
    text, no = np.ones(nu, dtype=bool), np.zeros(nu, dtype=bool)
    zeros, none = np.zeros(nu, dtype=np.int64), np.full(nu, -1, dtype=np.int8)
    fields: dict[int, Field] = {}
    for i, j in enumerate(shape.text.tolist()):
        start = opens[:, text_col[i]] + 1
        length = closes[:, text_col[i]] - start
        fields[shape.keys[j][0]] = Field(every, text, none, zeros, start, length)
    literal = literal.reshape(sp.shape)
    value = value.reshape(sp.shape)
    for i, j in enumerate(shape.scalar.tolist()):
        fields[shape.keys[j][0]] = Field(every, no, literal[:, i], value[:, i], zeros, zeros)
    return columns_of(fields, nu, n_options, block, levels)
