"""The GpUnit geography of a feed: who composes whom, cycles, and one tree per contest.

NIST GpUnits form a graph, not a tree: a precinct sits in a county and in a
legislative district at once. Each contest gets its own tree: the units it has
counts for, each under its most specific enclosing unit (the deepest), up to the
contest's district.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .feed import Feed, FeedContest


def parents_map(feed: Feed) -> dict[str, list[str]]:
    parents: dict[str, list[str]] = {}
    for u in feed.units.values():
        for child in u.children:
            if child != u.id:
                parents.setdefault(child, []).append(u.id)
    return parents


def find_cycles(feed: Feed) -> list[list[str]]:
    """Each cycle in the composition of GpUnits, once (as a list of ids)."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in feed.units:
        if state.get(start):
            continue
        stack = [(start, iter(feed.units[start].children))]
        path = [start]
        state[start] = 1
        while stack:
            uid, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[uid] = 2
                stack.pop()
                path.pop()
                continue
            if nxt not in feed.units:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(feed.units[nxt].children)))
    return cycles


def depths(feed: Feed, parents: dict[str, list[str]]) -> dict[str, int]:
    """Each unit's distance from the top (longest path; cycles cut)."""
    depth: dict[str, int] = {}
    for uid in feed.units:
        if uid in depth:
            continue
        stack, seen = [uid], {uid}
        while stack:
            cur = stack[-1]
            todo = [p for p in parents.get(cur, []) if p not in depth and p not in seen]
            if todo:
                seen.update(todo)
                stack.extend(todo)
                continue
            stack.pop()
            ps = [depth[p] for p in parents.get(cur, []) if p in depth]
            depth[cur] = 1 + max(ps) if ps else 0
    return depth


def units_below(feed: Feed, top: str) -> set[str]:
    seen, todo = {top}, [top]
    while todo:
        u = feed.units.get(todo.pop())
        for c in u.children if u else ():
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def contest_tree(feed: Feed, contest: FeedContest, counted: list[str], parents, depth):
    """The units of one contest and each one's parent: the counted units and their ancestors
    up to the contest's district, each under its most specific enclosing unit."""
    scope = contest.district if contest.district in feed.units else None
    inside = units_below(feed, scope) if scope else None
    parent: dict[str, str] = {}
    order: list[str] = []
    for uid in counted:
        cur, seen = uid, set()
        while cur not in parent and cur not in seen:
            seen.add(cur)
            order.append(cur)
            if cur == scope:
                parent[cur] = ""
                break
            cands = [p for p in parents.get(cur, []) if p not in seen]
            if inside is not None and cur in inside:
                cands = [p for p in cands if p in inside]
            if not cands:
                parent[cur] = ""
                break
            best = max(cands, key=lambda p: depth.get(p, 0))
            parent[cur] = best
            cur = best
    return order, parent
