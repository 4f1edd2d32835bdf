"""Hostile paths, outputs and names (the rest of the generator in hostile_cases.py)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from hostile_cases import SAMPLES, Case, wide

BUNDLED_LINEAGE = SAMPLES.parent / "kz-region-lineage.csv"


def _link(name: str, to: str):
    def setup(d: Path) -> None:
        os.symlink(to, d / name)

    return setup


def _socket(name: str):
    def setup(d: Path) -> None:
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(d / name))
        s.close()

    return setup


def _mode(name: str, mode: int):
    def setup(d: Path) -> None:
        os.chmod(d / name, mode)

    return setup


def path_cases() -> list[Case]:
    ok = {"input.csv": wide(40)}
    bad = (1, 2)
    long_dir = "/".join(["d" * 200] * 25)
    return [
        Case("path-missing", "paths", {}, "{d}/missing.csv", expect=bad),
        Case("path-directory", "paths", {"sub/a.csv": wide(5)}, "{d}/sub", expect=bad),
        Case("path-empty-dir", "paths", {"sub/.keep": b""}, "{d}/sub", expect=bad),
        Case("path-empty-name", "paths", {}, "", expect=bad),
        Case("path-name-too-long", "paths", {}, "{d}/" + "x" * 300 + ".csv", expect=bad),
        Case("path-too-long", "paths", {}, "{d}/" + long_dir + "/a.csv", expect=bad),
        Case(
            "path-dangling-link",
            "paths",
            {},
            "{d}/dang.csv",
            expect=bad,
            setup=_link("dang.csv", "nowhere.csv"),
        ),
        Case(
            "path-link-loop",
            "paths",
            {},
            "{d}/loop.csv",
            expect=bad,
            setup=_link("loop.csv", "loop.csv"),
        ),
        Case("path-link-ok", "paths", ok, "{d}/l.csv", setup=_link("l.csv", "input.csv")),
        Case("path-socket", "paths", {}, "{d}/s.csv", expect=bad, setup=_socket("s.csv")),
        Case("path-not-a-dir", "paths", ok, "{d}/input.csv/x.csv", expect=bad),
        Case("path-dev-null", "paths", {}, "/dev/null", expect=bad),
        Case("path-dev-zero", "paths", {}, "/dev/zero", expect=bad),
        Case("path-unreadable", "paths", ok, "{d}/input.csv", setup=_mode("input.csv", 0)),
        Case("path-nul-in-name", "paths", {}, "{d}/a\x00b.csv", expect=bad),
        Case("path-dash-name", "paths", {"--json": wide(5)}, "{d}/--json"),
        Case("path-escape-name", "paths", {"\x1b[2Ja.csv": wide(5)}, "{d}/\x1b[2Ja.csv"),
        Case("path-newline-name", "paths", {"a\nb.csv": wide(5)}, "{d}/a\nb.csv"),
        Case(
            "path-markup-name", "paths", {"[bold]x[/bold].csv": wide(5)}, "{d}/[bold]x[/bold].csv"
        ),
        Case("path-unicode-name", "paths", {"выборы.csv": wide(5)}, "{d}/выборы.csv"),
        Case("path-glob-nothing", "paths", ok, "{d}/*.nothing", expect=bad),
        Case(
            "path-validate-tree",
            "paths",
            {"res/a.csv": wide(5), "res/sub/b.csv": wide(5), "res/empty/.k": b""},
            "{d}/res",
            setup=lambda d: (
                os.symlink("nowhere.csv", d / "res" / "dang.csv"),
                os.symlink("loop.csv", d / "res" / "loop.csv"),
                os.symlink("..", d / "res" / "sub" / "up"),
                _socket("res/s.csv")(d),
                os.mkfifo(d / "res" / "f.csv"),
            ),
            args=(
                ("validate", "{t}"),
                ("validate", "{t}", "--json"),
                ("validate", "{t}", "-f", "ndjson"),
            ),
            expect=(2,),
        ),
    ]


def _out(name: str, *args: str, files=None, setup=None, expect=(2,)) -> Case:
    return Case(
        f"out-{name}",
        "outputs",
        files or {"input.csv": wide(40)},
        args=(args,),
        setup=setup,
        expect=expect,
    )


def output_cases() -> list[Case]:
    ref = (SAMPLES / "stations.json").read_bytes()
    both = {"input.csv": wide(40), "m.toml": b'[columns]\nregion = "region"\n', "r.json": ref}
    lineage = {"a.json": ref, "b.json": ref, "l.csv": BUNDLED_LINEAGE.read_bytes()}
    return [
        _out("onto-input", "report", "{d}/input.csv", "-o", "{d}/input.csv"),
        _out("onto-input-json", "shares", "{d}/input.csv", "--json", "-o", "{d}/input.csv"),
        _out(
            "onto-symlink",
            "report",
            "{d}/input.csv",
            "-o",
            "{d}/l.csv",
            setup=_link("l.csv", "input.csv"),
        ),
        _out(
            "onto-hardlink",
            "report",
            "{d}/input.csv",
            "-o",
            "{d}/h.csv",
            setup=lambda d: os.link(d / "input.csv", d / "h.csv"),
        ),
        _out("onto-dotdot", "report", "{d}/input.csv", "-o", "{d}/../{n}/input.csv"),
        _out(
            "onto-map",
            "report",
            "{d}/input.csv",
            "--map",
            "{d}/m.toml",
            "-o",
            "{d}/m.toml",
            files=both,
        ),
        _out(
            "onto-reference",
            "validate",
            "{d}/input.csv",
            "--reference",
            "{d}/r.json",
            "-o",
            "{d}/r.json",
            files=both,
        ),
        _out("onto-validated-dir", "validate", "{d}", "-o", "{d}/input.csv"),
        _out("onto-validated-glob", "validate", "{d}/*.csv", "-o", "{d}/input.csv"),
        _out(
            "onto-lineage",
            "compare",
            "{d}/a.json",
            "{d}/b.json",
            "--lineage",
            "{d}/l.csv",
            "-o",
            "{d}/l.csv",
            files=lineage,
        ),
        _out(
            "onto-compare-b",
            "compare",
            "{d}/a.json",
            "{d}/b.json",
            "-o",
            "{d}/b.json",
            files=lineage,
        ),
        _out(
            "onto-reconcile",
            "reconcile",
            "{d}/a.json",
            "{d}/b.json",
            "-o",
            "{d}/a.json",
            files=lineage,
        ),
        _out("export-onto-input", "report", "{d}/input.csv", "--export", "{d}/input.csv"),
        _out(
            "export-onto-input-html",
            "report",
            "{d}/input.csv",
            "--export",
            "{d}/x.html",
            setup=_link("x.html", "input.csv"),
        ),
        _out("export-bad-kind", "report", "{d}/input.csv", "--export", "{d}/r.pdf"),
        _out("plot-onto-input", "report", "{d}/input.csv", "--plot", "{d}/input.csv"),
        _out("plot-csv-name", "report", "{d}/input.csv", "--plot", "{d}/shares.csv"),
        _out("forensics-plot-input", "forensics", "{d}/input.csv", "--plot", "{d}/input.csv"),
        _out(
            "output-and-export",
            "report",
            "{d}/input.csv",
            "-o",
            "{d}/x.txt",
            "--export",
            "{d}/x.txt",
        ),
        _out("to-directory", "report", "{d}/input.csv", "-o", "{d}"),
        _out("to-trailing-slash", "report", "{d}/input.csv", "-o", "{d}/new/"),
        _out("to-empty-name", "report", "{d}/input.csv", "-o", ""),
        _out("to-missing-dir", "report", "{d}/input.csv", "-o", "{d}/no/such/out.json"),
        _out("to-name-too-long", "report", "{d}/input.csv", "-o", "{d}/" + "o" * 300),
        _out("to-dev-full", "report", "{d}/input.csv", "--json", "-o", "/dev/full"),
        _out("validate-to-dev-full", "validate", "{d}/input.csv", "-o", "/dev/full"),
        _out("to-dev-null", "report", "{d}/input.csv", "-o", "/dev/null", expect=(0,)),
        _out("to-dash", "report", "{d}/input.csv", "--json", "-o", "-", expect=(0,)),
        _out("to-new-file", "report", "{d}/input.csv", "-o", "{d}/new.txt", expect=(0,)),
        _out("bad-max-bytes", "--max-bytes", "lots", "report", "{d}/input.csv"),
    ]


PAYLOADS = {
    "link": "[link=https://evil.example]North[/link]",
    "close": "[/]",
    "emoji": ":skull:",
    "bracket": "North [old]",
    "osc": "\x1b]0;pwned\x07",
    "csi": "\x1b[2J\x1b[31mred",
    "c1": "\x9b2J\x9d0;t\x9c",
    "bel": "x\x07\x08y",
    "html": "<script>alert(1)</script>",
    "bidi": "\u202eevil\u202c",
    "style": "[bold red on white]X[/]",
    "newline": "a\nb\rc",
}


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _wide_with(payload: str) -> bytes:
    """The payload as an option name, a region, a district and in every station label."""
    cell = _csv_cell(payload)
    header = HEADER_INJ.replace("Alma", cell)
    rows = []
    for i in range(40):
        region = cell if i % 2 else "South"
        station = _csv_cell(payload + str(i))
        rows.append(f"{region},{cell},{station},1000,700,10,400,290")
    return ("\n".join([header, *rows]) + "\n").encode()


def _json_with(payload: str) -> bytes:
    """The payload as election name, option name, party, unit name, source and office."""
    doc = json.loads((SAMPLES / "stations.json").read_text(encoding="utf-8"))
    c = doc["contests"][0]
    doc["election"]["name"] = payload
    doc["election"]["sources"] = [{"id": payload, "title": payload}]
    c["options"][0]["name"] = payload
    c["options"][1]["party"] = payload
    c["office"] = payload
    for unit in c["units"][1:]:
        unit["name"] = payload + unit["name"]
    return json.dumps(doc).encode()


def _jsonl_with(payload: str) -> bytes:
    lines = (SAMPLES / "stations.jsonl").read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    head["election"]["name"] = payload
    head["options"][0]["name"] = payload
    head["options"][1]["party"] = payload
    rows = [json.loads(line) for line in lines[1:]]
    for row in rows:
        row[0] = payload + row[0]
    return ("\n".join([json.dumps(head), *(json.dumps(r) for r in rows)]) + "\n").encode()


HEADER_INJ = "region,district,station,registered,ballots_cast,invalid,Alma,Bek"

INJECTION_COMMANDS = (
    ("report", "{t}"),
    ("report", "{t}", "--json"),
    ("report", "{t}", "--export", "{d}/out.html"),
    ("report", "{t}", "--export", "{d}/out.svg"),
    ("shares", "{t}", "-f", "markdown"),
    ("shares", "{t}", "-f", "csv"),
    ("turnout", "{t}", "-f", "markdown"),
    ("diaspora", "{t}"),
    ("contests", "{t}"),
    ("validate", "{t}"),
    ("inspect", "{t}"),
    ("forensics", "{t}", "--replicates", "10"),
    ("compare", "{t}", "{t}"),
    ("reconcile", "{t}", "{t}"),
    ("results", "{t}"),
    ("results", "{t}", "-f", "markdown"),
    ("results", "{t}", "--by", "station"),
)


def injection_cases() -> list[Case]:
    """Every payload in every name position at once, in each input form."""
    out = []
    for key, payload in PAYLOADS.items():
        for form, name, data in (
            ("csv", "input.csv", _wide_with(payload)),
            ("json", "input.json", _json_with(payload)),
            ("jsonl", "input.jsonl", _jsonl_with(payload)),
        ):
            # A line end inside a quoted header name is the CSV reader's (another branch).
            xfail = None
            out.append(
                Case(
                    f"inject-{form}-{key}",
                    "injection",
                    {name: data},
                    name,
                    names=(payload,),
                    args=INJECTION_COMMANDS,
                    xfail=xfail,
                )
            )
    for key in ("link", "close", "emoji", "html", "style", "osc", "csi", "c1", "bidi"):
        name = PAYLOADS[key].replace("/", "∕") + ".csv"
        out.append(
            Case(
                f"inject-filename-{key}",
                "injection",
                {name: wide(40)},
                name,
                args=INJECTION_COMMANDS,
            )
        )
    return out
