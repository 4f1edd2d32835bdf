"""Hostile JSON documents and JSON Lines files (part of the generator in hostile_cases.py)."""

from __future__ import annotations

import json

from hostile_cases import SAMPLES, Case


def _doc() -> dict:
    return json.loads((SAMPLES / "stations.json").read_text(encoding="utf-8"))


def json_cases() -> list[Case]:
    def c(name: str, mutate=None, text: str | bytes | None = None, expect=(0, 1, 2)) -> Case:
        if text is None:
            doc = _doc()
            mutate(doc)
            text = json.dumps(doc)
        data = text if isinstance(text, bytes) else text.encode()
        return Case(f"json-{name}", "json", {"input.json": data}, "input.json", expect=expect)

    def unit(doc):
        return doc["contests"][0]["units"][-1]

    def setter(path, value):
        def f(doc):
            node = doc
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value

        return f

    bad = (1, 2)
    out = [
        c("sources-5", lambda d: d["election"].__setitem__("sources", 5), expect=bad),
        c("rules-list", lambda d: d["contests"][0].__setitem__("rules", [1]), expect=bad),
        c(
            "rules-threshold-text",
            lambda d: d["contests"][0].__setitem__("rules", {"threshold_pct": "x"}),
            expect=bad,
        ),
        c(
            "runoff-size-text",
            lambda d: d["contests"][0].__setitem__("rules", {"runoff_size": "x"}),
            expect=bad,
        ),
        c(
            "dup-option",
            lambda d: d["contests"][0]["options"].append(d["contests"][0]["options"][0]),
            expect=bad,
        ),
        c("options-dict", lambda d: d["contests"][0].__setitem__("options", {"a": 1}), expect=bad),
        c("units-dict", lambda d: d["contests"][0].__setitem__("units", {"a": 1}), expect=bad),
        c("contests-empty", lambda d: d.__setitem__("contests", []), expect=bad),
        c("contests-str", lambda d: d.__setitem__("contests", "x"), expect=bad),
        c("election-list", lambda d: d.__setitem__("election", [1]), expect=bad),
        c("format-version-2", lambda d: d.__setitem__("format_version", 2), expect=bad),
        c("format-version-str", lambda d: d.__setitem__("format_version", "1"), expect=bad),
        c("format-version-true", lambda d: d.__setitem__("format_version", True), expect=bad),
        c("status-odd", lambda d: d["election"].__setitem__("status", "draft"), expect=bad),
        c("votes-list", lambda d: unit(d).__setitem__("votes", [1, 2]), expect=bad),
        c("reported-list", lambda d: unit(d).__setitem__("reported", [1]), expect=bad),
        c(
            "shares-pct-text",
            lambda d: unit(d).__setitem__("reported", {"shares_pct": {"alma_example": "x"}}),
            expect=bad,
        ),
        c("sources-unit-str", lambda d: unit(d).__setitem__("sources", "x"), expect=bad),
        c("derived-int", lambda d: unit(d).__setitem__("derived", 5), expect=bad),
        c(
            "parent-loop",
            lambda d: d["contests"][0]["units"][0].__setitem__(
                "parent", d["contests"][0]["units"][-1]["id"]
            ),
            expect=bad,
        ),
        c("parent-unknown", lambda d: unit(d).__setitem__("parent", "nowhere"), expect=bad),
        c("level-odd", lambda d: unit(d).__setitem__("level", "planet"), expect=bad),
        c(
            "kind-odd",
            lambda d: d["contests"][0]["options"][0].__setitem__("kind", "alien"),
            expect=bad,
        ),
        c(
            "aliases-int",
            lambda d: d["contests"][0]["options"][0].__setitem__("aliases", 5),
            expect=bad,
        ),
        c("name-int", lambda d: d["election"].__setitem__("name", 5), expect=bad),
        c(
            "party-list",
            lambda d: d["contests"][0]["options"][0].__setitem__("party", [1]),
            expect=bad,
        ),
        c("abroad-text", lambda d: unit(d).__setitem__("abroad", "yes"), expect=bad),
        c("top-array", text="[1, 2, 3]", expect=bad),
        c("top-string", text='"hello"', expect=bad),
        c("top-null", text="null", expect=bad),
        c("top-number", text="5", expect=bad),
        c("empty-object", text="{}", expect=bad),
        c("truncated", text=json.dumps(_doc())[:500], expect=bad),
        c("trailing-comma", text='{"contests": [1,],}', expect=bad),
        c(
            "nan-literal",
            text='{"contests": [{"options": [{"id": "a"}], "units": [{"id": "u", "registered": NaN}]}]}',
            expect=bad,
        ),
        c(
            "infinity-literal",
            text='{"contests": [{"options": [{"id": "a"}], "units": [{"id": "u", "registered": Infinity}]}]}',
            expect=bad,
        ),
        c(
            "int-5000-digits",
            text='{"contests": [{"options": [{"id": "a"}], "units": [{"id": "u", "registered": '
            + "9" * 5000
            + "}]}]}",
            expect=bad,
        ),
        c("deep-100k", text="[" * 100_000 + "]" * 100_000, expect=bad),
        c(
            "deep-in-note",
            text='{"contests": [{"options": [{"id": "a"}], "units": [{"id": "u", "note": '
            + "[" * 50_000
            + "]" * 50_000
            + "}]}]}",
            expect=bad,
        ),
        c("deep-object", text='{"a":' * 50_000 + "1" + "}" * 50_000, expect=bad),
        c(
            "dup-keys",
            text='{"contests": [], "contests": [{"options": [{"id": "a"}], "units": [{"id": "u"}]}]}',
        ),
        c("bom", text=b"\xef\xbb\xbf" + json.dumps(_doc()).encode()),
        c("utf16", text=json.dumps(_doc()).encode("utf-16")),
    ]
    for i, uid in enumerate((1.5, True, None, [1], {"a": 1}, 2**70, -1, "")):
        out.append(c(f"unit-id-{i}", setter(["contests", 0, "units", -1, "id"], uid)))
    for i, count in enumerate((2**53 + 1, -1, 1.5, "x", True, [1], "1 000", 1e300, "NaN")):
        out.append(c(f"count-{i}", setter(["contests", 0, "units", -1, "registered"], count)))
    return out


def _jsonl_lines() -> list[str]:
    return (SAMPLES / "stations.jsonl").read_text(encoding="utf-8").splitlines()


def jsonl_cases() -> list[Case]:
    base = _jsonl_lines()
    head = json.loads(base[0])

    def c(name: str, lines: list[str], expect=(1, 2)) -> Case:
        data = ("\n".join(lines) + "\n").encode()
        return Case(f"jsonl-{name}", "jsonl", {"input.jsonl": data}, "input.jsonl", expect=expect)

    def header(**changes) -> str:
        return json.dumps({**head, **changes})

    row = json.loads(base[1])
    out = [
        c("ok", base, expect=(0,)),
        c("short-row", [base[0], json.dumps(row[:-1]), *base[2:]]),
        c("long-row", [base[0], json.dumps([*row, 5]), *base[2:]]),
        c("nested-row", [base[0], json.dumps([*row[:-1], [1]]), *base[2:]]),
        c("deep-row", [base[0], "[" * 100_000 + "]" * 100_000, *base[2:]]),
        c("object-unknown-key", [base[0], json.dumps({"nope": 1}), *base[2:]]),
        c("row-string", [base[0], '"x"', *base[2:]]),
        c("row-garbage", [base[0], "{{{", *base[2:]]),
        c("bigint", [base[0], json.dumps([*row[:-1], 9007199254740993]), *base[2:]]),
        c("bigint-negative", [base[0], json.dumps([*row[:-1], -9007199254740993]), *base[2:]]),
        c(
            "int-5000-digits",
            [base[0], json.dumps(row[:-1])[:-1] + ", " + "9" * 5000 + "]", *base[2:]],
        ),
        c("null-count", [base[0], json.dumps([*row[:-1], None]), *base[2:]], expect=(0, 1, 2)),
        c("bool-count", [base[0], json.dumps([*row[:-1], True]), *base[2:]]),
        c(
            "comma-in-name",
            [base[0], json.dumps(["North, East", *row[1:]]), *base[2:]],
            expect=(0, 1),
        ),
        c("header-only", [base[0]]),
        c("no-header", base[1:]),
        c("fv-2", [header(format_version=2), *base[1:]]),
        c("fv-true", [header(format_version=True), *base[1:]]),
        c("fv-str", [header(format_version="1"), *base[1:]]),
        c("contest-list", [header(contest=[1]), *base[1:]]),
        c("rules-list", [header(contest={"rules": [1]}), *base[1:]]),
        c("runoff-text", [header(contest={"rules": {"runoff_size": "x"}}), *base[1:]]),
        c("threshold-text", [header(contest={"rules": {"threshold_pct": "x"}}), *base[1:]]),
        c("options-dict", [header(options={"a": 1}), *base[1:]]),
        c("options-int-id", [header(options=[{"id": 5}]), *base[1:]]),
        c("option-kind-odd", [header(options=[{**head["options"][0], "kind": "x"}]), *base[1:]]),
        c("columns-int", [header(columns=[1, 2]), *base[1:]]),
        c(
            "columns-missing",
            [json.dumps({k: v for k, v in head.items() if k != "columns"}), *base[1:]],
        ),
        c("election-list", [header(election=[1]), *base[1:]]),
        c(
            "deep-header",
            ['{"format": "elect-stations", "x": ' + "[" * 50_000 + "]" * 50_000 + "}", *base[1:]],
        ),
        c("crlf", [line + "\r" for line in base], expect=(0, 1, 2)),
        c("blank-lines", [base[0], "", *base[1:], ""], expect=(0, 1, 2)),
    ]
    return out
